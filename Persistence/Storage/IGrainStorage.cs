namespace OzonActors.Persistence.Storage;

/// <summary>
/// A grain's stored state as JSON, with its optimistic version (0 = never written) and its deadlines as a JSON object
/// of name to due instant.
/// </summary>
public sealed record StoredState(string Json, long Version, string DeadlinesJson);

/// <summary>An event queued by a grain during a turn, committed with its state, with the W3C traceparent of the activity it was emitted in, if any.</summary>
public sealed record PendingEvent(
    string Stream, string Type, DateTimeOffset At, string DataJson, IReadOnlyList<string> Audiences, string? TraceParent = null);

/// <summary>Everything one turn commits, atomically: state, its deadlines, events, index rows (set and removed) and operation keys.</summary>
public sealed class GrainWrite
{
    public required StateKey StateKey { get; init; }

    /// <summary>The version the writer read; the write fails with <see cref="Orleans.Storage.InconsistentStateException"/> if it is stale.</summary>
    public required long ExpectedVersion { get; init; }

    public required string StateJson { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>The grain's deadlines after this write, a JSON object of name to due instant (<c>{}</c> for none).</summary>
    public string DeadlinesJson { get; init; } = "{}";

    public IReadOnlyList<PendingEvent> Events { get; init; } = [];

    /// <summary>Index rows of this grain to insert or replace, keyed by (index, partition, grain).</summary>
    public IReadOnlyList<GrainIndexEntry> IndexEntries { get; init; } = [];

    /// <summary>Index partitions this grain leaves: its row there, if any, is deleted. Never also in <see cref="IndexEntries"/>.</summary>
    public IReadOnlyList<GrainIndexPartition> IndexRemovals { get; init; } = [];

    /// <summary>Operation keys to claim; if the grain claimed any of them before, the write fails and commits nothing.</summary>
    public IReadOnlyList<string> OperationKeys { get; init; } = [];

    /// <summary>When the retention loop may delete this state (null: kept).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>Reads and writes grain state. Implementations commit a <see cref="GrainWrite"/> as one transaction.</summary>
public interface IGrainStorage
{
    /// <summary>The stored state, or null when the grain was never written.</summary>
    Task<StoredState?> ReadAsync(StateKey grainId, CancellationToken cancellationToken);

    /// <summary>Commits the write and returns the new version.</summary>
    /// <exception cref="Orleans.Storage.InconsistentStateException">The expected version is stale.</exception>
    /// <exception cref="DuplicateOperationException">An operation key was claimed before; nothing was committed.</exception>
    /// <exception cref="GrainStorageException">The provider failed; nothing was committed.</exception>
    Task<long> WriteAsync(GrainWrite write, CancellationToken cancellationToken);

    /// <summary>Succeeds when the storage can serve requests (readiness).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Deletes states whose expiry is before <paramref name="now"/>, and operation keys claimed before
    /// <paramref name="keysClaimedBefore"/>. Returns how many rows went.
    /// </summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, DateTimeOffset keysClaimedBefore, CancellationToken cancellationToken);
}

/// <summary>
/// Called inside the write transaction just before commit. No implementation is registered by default;
/// tests register one to inject faults and prove that a failed write commits nothing.
/// </summary>
public interface IGrainWriteInterceptor
{
    ValueTask BeforeCommitAsync(GrainWrite write, CancellationToken cancellationToken);
}
