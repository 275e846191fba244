namespace OzonActors.Persistence.Facet;

/// <summary>
/// A grain's durable state. During a turn the grain changes <see cref="State"/> and queues events, index rows,
/// operation keys and deadline changes; <see cref="WriteStateAsync"/> commits them all in one transaction (one
/// PostgreSQL batch, or one step of the in-memory store). A turn that throws leaves nothing behind: its queued changes
/// are dropped and the state is reloaded before the next call.
/// </summary>
/// <typeparam name="TState">A class serialized as the state's JSON.</typeparam>
public interface IDurableState<TState>
    where TState : class, new()
{
    /// <summary>The state as of the last read or write, plus this turn's changes.</summary>
    TState State { get; set; }

    /// <summary>The stored version this activation holds; 0 before the first write.</summary>
    long Version { get; }

    /// <summary>The committed deadlines, by name.</summary>
    IReadOnlyDictionary<string, DateTimeOffset> Deadlines { get; }

    /// <summary>Commits state, deadlines, events, index rows and operation keys in one transaction.</summary>
    /// <exception cref="Orleans.Storage.InconsistentStateException">Someone else wrote this grain since it was read.</exception>
    /// <exception cref="DuplicateOperationException">An operation key was claimed before; nothing was committed.</exception>
    /// <exception cref="GrainStorageException">The store failed; nothing was committed.</exception>
    Task WriteStateAsync();

    /// <summary>
    /// Writes like <see cref="WriteStateAsync"/>, for a turn that claimed operation keys: when a key was claimed
    /// before (a replay), the turn's changes are discarded, the state reloaded, and the answer is false.
    /// </summary>
    Task<bool> WriteStateOnceAsync();

    /// <summary>Replaces <see cref="State"/> with what is stored and drops whatever this turn queued.</summary>
    Task ReadStateAsync();

    /// <summary>Queues an event for the next write.</summary>
    /// <param name="stream">The stream the event belongs to, e.g. <c>return:{id}</c>.</param>
    /// <param name="type">The event type, e.g. <c>ReturnStatusChanged</c>.</param>
    /// <param name="data">A record serialized as the event's JSON data.</param>
    /// <param name="audiences">Who may see it, e.g. <c>seller:{id}</c>, <c>customer:{id}</c>.</param>
    void Emit(string stream, string type, object data, IEnumerable<string> audiences);

    /// <summary>
    /// Queues this grain's row in the index <paramref name="index"/>, partition <paramref name="partition"/>, for the
    /// next write; it replaces the grain's previous row there.
    /// </summary>
    void SetIndexEntry(string index, string partition, string? tag, DateTimeOffset sortAt, object data);

    /// <summary>
    /// Queues the removal of this grain's row in the index <paramref name="index"/>, partition <paramref name="partition"/>,
    /// for the next write (nothing happens where it has none): a grain leaves a partition it no longer belongs to. It
    /// cancels a row queued there in this turn, as a later <see cref="SetIndexEntry"/> cancels the removal.
    /// </summary>
    void RemoveIndexEntry(string index, string partition);

    /// <summary>
    /// Queues the claim of an operation key (e.g. <c>order:{id}</c>): the next write fails with
    /// <see cref="DuplicateOperationException"/>, committing nothing, if this grain ever claimed the key before.
    /// </summary>
    void ClaimOperation(string key);

    /// <summary>
    /// Queues the deadline <paramref name="name"/> at <paramref name="dueAt"/>. The write that commits it registers
    /// its Orleans reminder first, so a committed deadline always has a reminder.
    /// </summary>
    void SetDeadline(string name, DateTimeOffset dueAt);

    /// <summary>Queues the removal of the deadline <paramref name="name"/>; its reminder goes after the write commits.</summary>
    void ClearDeadline(string name);

    /// <summary>
    /// From the next write on, the state may be deleted by the retention loop after <paramref name="at"/> (null: kept).
    /// A grain whose state was deleted starts again as if never written, so give an expiry only to a state nothing
    /// needs any more by then (a spent challenge, an ended session).
    /// </summary>
    void ExpireAt(DateTimeOffset? at);
}
