namespace OzonActors.Persistence.Events;

/// <summary>
/// A committed event with its position in the log, and the W3C traceparent of the trace it was committed in (its push
/// continues that trace), if there was one.
/// </summary>
public sealed record EventEnvelope(
    EventPosition Position, string Stream, string Type, DateTimeOffset At, string DataJson, IReadOnlyList<string> Audiences,
    string? TraceParent = null);

/// <summary>A page of the log. <see cref="Pending"/> is true when later events exist but wait behind an uncommitted transaction.</summary>
public sealed record EventBatch(IReadOnlyList<EventEnvelope> Events, bool Pending);

/// <summary>The committed events, in position order, kept for the retention window.</summary>
public interface IEventLog
{
    /// <summary>Up to <paramref name="max"/> events after <paramref name="after"/>; never one that a later read could place before them.</summary>
    Task<EventBatch> ReadAsync(EventPosition after, int max, CancellationToken cancellationToken);

    /// <summary>
    /// The position of the last event readable now, or <see cref="EventPosition.Start"/> if there is none. No event
    /// at or before it can still appear, so a reader that starts after it misses nothing older.
    /// </summary>
    Task<EventPosition> GetHeadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> events after <paramref name="after"/> and at or before <paramref name="upTo"/>,
    /// in position order, whose audiences include at least one of <paramref name="audiences"/> (a replay for one
    /// client); like <see cref="ReadAsync"/>, never one that a later read could place before them.
    /// </summary>
    Task<EventBatch> ReadForAudiencesAsync(
        EventPosition after, EventPosition upTo, IReadOnlyCollection<string> audiences, int max, CancellationToken cancellationToken);

    /// <summary>Deletes events older than <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> TrimAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
