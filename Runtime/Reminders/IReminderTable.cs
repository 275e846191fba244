namespace OzonActors.Runtime.Reminders;

/// <summary>A pending one-shot reminder. <see cref="Id"/> changes every time the reminder is set.</summary>
public sealed record ReminderEntry(GrainId GrainId, string Name, DateTimeOffset DueAt, Guid Id, int Attempts);

/// <summary>Durable reminders: claimed with a lease, removed once handled, retried later on failure.</summary>
public interface IReminderTable
{
    /// <summary>Takes up to <paramref name="max"/> reminders available at <paramref name="now"/>, hiding them until <paramref name="leaseUntil"/>.</summary>
    Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(DateTimeOffset now, int max, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Removes handled reminders, unless they were set again since (their id changed).</summary>
    Task CompleteAsync(IReadOnlyCollection<ReminderEntry> entries, CancellationToken cancellationToken);

    /// <summary>Makes a failed reminder available again at <paramref name="retryAt"/> and counts the attempt.</summary>
    Task RetryAsync(ReminderEntry entry, DateTimeOffset retryAt, CancellationToken cancellationToken);

    /// <summary>The earliest instant at which some reminder becomes available, or null if there is none.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>The pending reminders of one grain (diagnostics and tests).</summary>
    Task<IReadOnlyList<ReminderEntry>> ListAsync(GrainId grainId, CancellationToken cancellationToken);
}
