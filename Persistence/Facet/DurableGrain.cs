using Orleans;
using Orleans.Runtime;

namespace OzonActors.Persistence.Facet;

/// <summary>
/// An Orleans grain whose state is a <c>[DurableState]</c> facet, with the facet's operations at hand and deadlines
/// delivered as <see cref="ReceiveReminderAsync"/>. A deadline is handled when its reminder ticks, or before any other
/// call once it has passed, whichever comes first; the handler's write consumes it.
/// </summary>
/// <typeparam name="TState">The state class.</typeparam>
public abstract class DurableGrain<TState> : Grain, IRemindable, IDeadlineHandler
    where TState : class, new()
{
    private readonly IDurableState<TState> _durable;

    /// <summary>Takes the grain's durable state and the clock every rule must read (a fake one in tests).</summary>
    protected DurableGrain(IDurableState<TState> state, TimeProvider time)
    {
        _durable = state;
        TimeProvider = time;
    }

    /// <summary>The clock every rule must read.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>The state as of the last read or write, plus this turn's changes.</summary>
    protected TState State
    {
        get => _durable.State;
        set => _durable.State = value;
    }

    /// <summary>The stored version this activation holds; 0 before the first write.</summary>
    protected long Version => _durable.Version;

    /// <summary>The committed deadlines, by name.</summary>
    protected IReadOnlyDictionary<string, DateTimeOffset> Deadlines => _durable.Deadlines;

    private IDurableStateControl Control => (IDurableStateControl)_durable;

    /// <summary>The Guid key of this grain.</summary>
    protected Guid GetPrimaryKey() => GrainExtensions.GetPrimaryKey(this);

    /// <summary>The string key of this grain.</summary>
    protected string GetPrimaryKeyString() => GrainExtensions.GetPrimaryKeyString(this);

    /// <inheritdoc cref="IDurableState{TState}.Emit"/>
    protected void Emit(string stream, string type, object data, params IEnumerable<string> audiences) =>
        _durable.Emit(stream, type, data, audiences);

    /// <inheritdoc cref="IDurableState{TState}.SetDeadline"/>
    protected void SetReminder(string name, DateTimeOffset dueAt) => _durable.SetDeadline(name, dueAt);

    /// <inheritdoc cref="IDurableState{TState}.ClearDeadline"/>
    protected void ClearReminder(string name) => _durable.ClearDeadline(name);

    /// <inheritdoc cref="IDurableState{TState}.SetIndexEntry"/>
    protected void SetIndexEntry(string index, string partition, string? tag, DateTimeOffset sortAt, object data) =>
        _durable.SetIndexEntry(index, partition, tag, sortAt, data);

    /// <inheritdoc cref="IDurableState{TState}.RemoveIndexEntry"/>
    protected void RemoveIndexEntry(string index, string partition) => _durable.RemoveIndexEntry(index, partition);

    /// <inheritdoc cref="IDurableState{TState}.ClaimOperation"/>
    protected void ClaimOperation(string key) => _durable.ClaimOperation(key);

    /// <inheritdoc cref="IDurableState{TState}.WriteStateAsync"/>
    protected Task WriteStateAsync()
    {
        _durable.ExpireAt(RetainUntil);
        return _durable.WriteStateAsync();
    }

    /// <summary>
    /// Read at every write: after this instant the retention loop may delete the state, and the grain starts again as
    /// if never written. Null (the default) keeps it. See <see cref="IDurableState{TState}.ExpireAt"/>.
    /// </summary>
    protected virtual DateTimeOffset? RetainUntil => null;

    /// <inheritdoc cref="IDurableState{TState}.WriteStateOnceAsync"/>
    protected Task<bool> WriteStateOnceAsync()
    {
        _durable.ExpireAt(RetainUntil);
        return _durable.WriteStateOnceAsync();
    }

    /// <inheritdoc cref="IDurableState{TState}.ReadStateAsync"/>
    protected Task ReadStateAsync() => _durable.ReadStateAsync();

    /// <summary>
    /// Applies the deadline <paramref name="name"/>, due at <paramref name="dueAt"/>. It may run more than once for the
    /// same deadline (a retried tick after a crash), so it must check that the state still expects it.
    /// </summary>
    protected virtual Task ReceiveReminderAsync(string name, DateTimeOffset dueAt) => Task.CompletedTask;

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) =>
        Control.HandleDeadlineAsync(reminderName, ReceiveReminderAsync);

    Task IDeadlineHandler.OnDeadlineAsync(string name, DateTimeOffset dueAt) => ReceiveReminderAsync(name, dueAt);
}
