using System.Text.Json;
using OzonActors.Runtime.Storage;

namespace OzonActors.Runtime;

/// <summary>
/// A grain with durable state. Events (<see cref="Emit"/>) and deadlines (<see cref="SetReminder"/>,
/// <see cref="ClearReminder"/>) are queued during a turn and committed with the state by
/// <see cref="WriteStateAsync"/> in one transaction: never a status without its deadline or its event.
/// </summary>
/// <remarks>
/// A turn that throws drops the activation, so whatever it changed in memory is reloaded from storage by the
/// next call: a failed turn can never leak a half-applied change into a later write.
/// </remarks>
public abstract class Grain<TState> : Grain where TState : class, new()
{
    /// <summary>Longest reminder name; names are part of a primary key.</summary>
    public const int MaxReminderNameLength = 200;

    private List<PendingEvent>? _events;
    private List<ReminderChange>? _reminders;
    private List<GrainIndexEntry>? _indexEntries;
    private List<string>? _operationKeys;

    /// <summary>The state as of the last read or write, plus this turn's changes.</summary>
    protected TState State { get; set; } = new();

    /// <summary>The stored version this activation holds; 0 before the first write.</summary>
    protected long Version { get; private set; }

    internal override bool HasUncommittedChanges =>
        _events is { Count: > 0 } || _reminders is { Count: > 0 } || _indexEntries is { Count: > 0 } || _operationKeys is { Count: > 0 };

    internal override bool ReloadAfterFailedTurn => true;

    /// <summary>Queues an event for the next <see cref="WriteStateAsync"/>.</summary>
    /// <param name="stream">The stream the event belongs to, e.g. <c>return:{id}</c>.</param>
    /// <param name="type">The event type, e.g. <c>ReturnStatusChanged</c>.</param>
    /// <param name="data">A record serialized as the event's JSON data.</param>
    /// <param name="audiences">Who may see it, e.g. <c>seller:{id}</c>, <c>customer:{id}</c>.</param>
    protected void Emit(string stream, string type, object data, params IEnumerable<string> audiences)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(data);
        var json = JsonSerializer.Serialize(data, data.GetType(), GrainJson.Options);
        (_events ??= []).Add(new PendingEvent(stream, type, TimeProvider.GetUtcNow(), json, audiences.ToArray()));
    }

    /// <summary>Queues the (re)setting of the one-shot reminder <paramref name="name"/> to fire at <paramref name="dueAt"/>.</summary>
    protected void SetReminder(string name, DateTimeOffset dueAt)
    {
        ValidateReminderName(name);
        if (this is not IRemindable)
        {
            throw new InvalidOperationException($"{GetType().Name} sets a reminder but does not implement IRemindable.");
        }

        (_reminders ??= []).Add(new ReminderChange(name, dueAt));
    }

    /// <summary>Queues the removal of the reminder <paramref name="name"/>, if it exists.</summary>
    protected void ClearReminder(string name)
    {
        ValidateReminderName(name);
        (_reminders ??= []).Add(new ReminderChange(name, null));
    }

    /// <summary>
    /// Queues this grain's row in the index <paramref name="index"/>, partition <paramref name="partition"/>, for the
    /// next <see cref="WriteStateAsync"/>; it replaces the grain's previous row there.
    /// </summary>
    protected void SetIndexEntry(string index, string partition, string? tag, DateTimeOffset sortAt, object data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(index);
        ArgumentException.ThrowIfNullOrWhiteSpace(partition);
        ArgumentNullException.ThrowIfNull(data);
        var json = JsonSerializer.Serialize(data, data.GetType(), GrainJson.Options);
        (_indexEntries ??= []).Add(new GrainIndexEntry(index, partition, tag, sortAt, json));
    }

    /// <summary>
    /// Queues the claim of an operation key (e.g. <c>order:{id}</c>) for the next write: that write fails with
    /// <see cref="DuplicateOperationException"/>, committing nothing, if this grain ever claimed the key before.
    /// </summary>
    protected void ClaimOperation(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        (_operationKeys ??= []).Add(key);
    }

    /// <summary>
    /// Writes like <see cref="WriteStateAsync"/>, for a turn that claimed operation keys: when a key was claimed
    /// before (a replay), the turn's changes are discarded, the state reloaded, and the answer is false.
    /// </summary>
    protected async Task<bool> WriteStateOnceAsync()
    {
        try
        {
            await WriteStateAsync().ConfigureAwait(false);
            return true;
        }
        catch (DuplicateOperationException)
        {
            DiscardUncommittedChanges();
            await ReadStateAsync().ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Commits state, queued reminder changes and queued events in one transaction.</summary>
    /// <exception cref="InconsistentStateException">Someone else wrote this grain; the activation is dropped.</exception>
    protected async Task WriteStateAsync()
    {
        var write = new GrainWrite
        {
            GrainId = GrainId,
            ExpectedVersion = Version,
            StateJson = JsonSerializer.Serialize(State, GrainJson.Options),
            At = TimeProvider.GetUtcNow(),
            Reminders = (IReadOnlyList<ReminderChange>?)_reminders ?? [],
            Events = (IReadOnlyList<PendingEvent>?)_events ?? [],
            AcknowledgedReminder = Activation.CurrentReminder,
            IndexEntries = (IReadOnlyList<GrainIndexEntry>?)_indexEntries ?? [],
            OperationKeys = _operationKeys is null ? [] : [.. _operationKeys.Distinct(StringComparer.Ordinal)],
        };
        Version = await Activation.Runtime.Storage.WriteAsync(write, CancellationToken.None).ConfigureAwait(false);

        // Cleared only once committed: a grain that catches a failed write and writes again still commits them.
        _reminders = null;
        _events = null;
        _indexEntries = null;
        _operationKeys = null;
        Activation.Runtime.OnCommitted(write);
    }

    /// <summary>Replaces <see cref="State"/> with what is stored.</summary>
    protected Task ReadStateAsync() => LoadStateAsync(CancellationToken.None);

    internal override async Task LoadStateAsync(CancellationToken cancellationToken)
    {
        var stored = await Activation.Runtime.Storage.ReadAsync(GrainId, cancellationToken).ConfigureAwait(false);
        State = stored is null ? new TState() : JsonSerializer.Deserialize<TState>(stored.Json, GrainJson.Options) ?? new TState();
        Version = stored?.Version ?? 0;
    }

    internal override void DiscardUncommittedChanges()
    {
        _events = null;
        _reminders = null;
        _indexEntries = null;
        _operationKeys = null;
    }

    private static void ValidateReminderName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxReminderNameLength)
        {
            throw new ArgumentException($"A reminder name must be at most {MaxReminderNameLength} characters.", nameof(name));
        }
    }
}
