namespace OzonActors.Runtime.Events;

/// <summary>A committed event with its position in the log.</summary>
public sealed record EventEnvelope(
    EventPosition Position, string Stream, string Type, DateTimeOffset At, string DataJson, IReadOnlyList<string> Audiences);

/// <summary>A page of the log. <see cref="Pending"/> is true when later events exist but wait behind an uncommitted transaction.</summary>
public sealed record EventBatch(IReadOnlyList<EventEnvelope> Events, bool Pending);

/// <summary>The committed events, in position order, kept for the retention window.</summary>
public interface IEventLog
{
    /// <summary>Up to <paramref name="max"/> events after <paramref name="after"/>; never one that a later read could place before them.</summary>
    Task<EventBatch> ReadAsync(EventPosition after, int max, CancellationToken cancellationToken);

    /// <summary>Deletes events older than <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> TrimAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
