using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Timers;
using OzonActors.Persistence.Configuration;
using OzonActors.Persistence.Storage;

namespace OzonActors.Persistence.Facet;

/// <summary>
/// The <see cref="IDurableState{TState}"/> of one activation: loads at activation (and re-registers any deadline whose
/// reminder is missing), commits a turn's changes in one write, and keeps deadlines and Orleans reminders in the order
/// that never loses one: register before the write that sets a deadline, unregister after the write that clears it.
/// </summary>
internal sealed partial class DurableState<TState> : IDurableState<TState>, IDurableStateControl, ILifecycleParticipant<IGrainLifecycle>
    where TState : class, new()
{
    /// <summary>Longest deadline name: names are part of the reminder table's key.</summary>
    public const int MaxDeadlineNameLength = 150;

    private static readonly Dictionary<string, DateTimeOffset> NoDeadlines = [];

    private readonly IGrainContext _context;
    private readonly StateKey _key;
    private readonly IGrainStorage _storage;
    private readonly TimeProvider _time;
    private readonly RuntimeSignals _signals;
    private readonly DeadlineOptions _options;
    private readonly ILogger _log;
    private readonly Dictionary<string, IGrainReminder> _reminders = new(StringComparer.Ordinal);

    /// <summary>The due instant each reminder was registered for by this activation.</summary>
    private readonly Dictionary<string, DateTimeOffset> _registeredFor = new(StringComparer.Ordinal);

    private Dictionary<string, DateTimeOffset> _deadlines = NoDeadlines;
    private DateTimeOffset? _expiresAt;
    private DateTimeOffset? _committedExpiry;
    private List<PendingEvent>? _events;
    private List<GrainIndexEntry>? _indexEntries;
    private List<GrainIndexPartition>? _indexRemovals;
    private List<string>? _operationKeys;
    private Dictionary<string, DateTimeOffset?>? _deadlineChanges;
    private (string Name, DateTimeOffset DueAt)? _handling;
    private bool _stale;

    public DurableState(
        IGrainContext context, StateKey key, IGrainStorage storage, TimeProvider time, RuntimeSignals signals, DeadlineOptions options,
        ILogger log)
    {
        _context = context;
        _key = key;
        _storage = storage;
        _time = time;
        _signals = signals;
        _options = options;
        _log = log;
    }

    public TState State { get; set; } = new();

    public long Version { get; private set; }

    public IReadOnlyDictionary<string, DateTimeOffset> Deadlines => _deadlines;

    private IReminderRegistry Reminders => _context.ActivationServices.GetService(typeof(IReminderRegistry)) as IReminderRegistry
        ?? throw new InvalidOperationException("This silo has no reminder service; deadlines need one.");

    public void Participate(IGrainLifecycle lifecycle)
    {
        lifecycle.Subscribe(GetType().FullName!, GrainLifecycleStage.SetupState, LoadAsync);
        lifecycle.Subscribe(GetType().FullName!, GrainLifecycleStage.Activate, RestoreRemindersAsync);
    }

    public void Emit(string stream, string type, object data, IEnumerable<string> audiences)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(audiences);
        var json = JsonSerializer.Serialize(data, data.GetType(), GrainJson.Options);
        (_events ??= []).Add(new PendingEvent(stream, type, _time.GetUtcNow(), json, [.. audiences], System.Diagnostics.Activity.Current?.Id));
    }

    public void SetIndexEntry(string index, string partition, string? tag, DateTimeOffset sortAt, object data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(index);
        ArgumentException.ThrowIfNullOrWhiteSpace(partition);
        ArgumentNullException.ThrowIfNull(data);
        var json = JsonSerializer.Serialize(data, data.GetType(), GrainJson.Options);
        _indexRemovals?.Remove(new GrainIndexPartition(index, partition));
        (_indexEntries ??= []).Add(new GrainIndexEntry(index, partition, tag, sortAt, json));
    }

    public void RemoveIndexEntry(string index, string partition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(index);
        ArgumentException.ThrowIfNullOrWhiteSpace(partition);
        _indexEntries?.RemoveAll(entry => entry.Index == index && entry.Partition == partition);
        var place = new GrainIndexPartition(index, partition);
        if (_indexRemovals?.Contains(place) != true)
        {
            (_indexRemovals ??= []).Add(place);
        }
    }

    public void ClaimOperation(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        (_operationKeys ??= []).Add(key);
    }

    public void SetDeadline(string name, DateTimeOffset dueAt)
    {
        ValidateDeadlineName(name);
        if (_context.GrainInstance is not null and not IRemindable)
        {
            throw new InvalidOperationException($"{_context.GrainInstance.GetType().Name} sets a deadline but is not IRemindable.");
        }

        (_deadlineChanges ??= new(StringComparer.Ordinal))[name] = dueAt.ToUniversalTime();
    }

    public void ExpireAt(DateTimeOffset? at) => _expiresAt = at;

    public void ClearDeadline(string name)
    {
        ValidateDeadlineName(name);
        (_deadlineChanges ??= new(StringComparer.Ordinal))[name] = null;
    }

    public async Task<bool> WriteStateOnceAsync()
    {
        try
        {
            await WriteStateAsync().ConfigureAwait(true);
            return true;
        }
        catch (DuplicateOperationException)
        {
            Hosting.OzonMetrics.Replays.Add(1, new KeyValuePair<string, object?>("grain_type", _key.Type));
            await ReadStateAsync().ConfigureAwait(true);
            return false;
        }
    }

    public async Task WriteStateAsync()
    {
        var next = NextDeadlines();
        var now = _time.GetUtcNow();

        // A new deadline, or one moved earlier, gets its reminder before the write: if the write then fails, the reminder
        // finds no such deadline and removes itself (or ticks early and is ignored); the other order could commit a
        // deadline whose reminder a crash never created. One moved later keeps its earlier reminder until the write has
        // committed: a reminder that is early only ticks in vain, one that is late loses the deadline until then.
        List<string>? movedLater = null;
        foreach (var (name, dueAt) in next)
        {
            var committed = _deadlines.TryGetValue(name, out var at) ? at : (DateTimeOffset?)null;
            if (committed is { } before && dueAt > before && _reminders.ContainsKey(name))
            {
                (movedLater ??= []).Add(name);
            }
            else if (committed != dueAt || !_reminders.ContainsKey(name))
            {
                await RegisterAsync(name, dueAt, now).ConfigureAwait(true);
            }
        }

        // Retention deletes a state only past the expiry its last write gave it; an activation that outlived that (the
        // row gone, the activation not) writes its state anew instead of failing on a version nobody holds any more.
        if (Version > 0 && _committedExpiry is { } expiry && expiry < now
            && await _storage.ReadAsync(_key, CancellationToken.None).ConfigureAwait(true) is null)
        {
            Version = 0;
        }

        var write = new GrainWrite
        {
            StateKey = _key,
            ExpectedVersion = Version,
            StateJson = JsonSerializer.Serialize(State, GrainJson.Options),
            At = now,
            DeadlinesJson = next.Count == 0 ? "{}" : JsonSerializer.Serialize(next, GrainJson.Options),
            Events = (IReadOnlyList<PendingEvent>?)_events ?? [],
            IndexEntries = (IReadOnlyList<GrainIndexEntry>?)_indexEntries ?? [],
            IndexRemovals = (IReadOnlyList<GrainIndexPartition>?)_indexRemovals ?? [],
            OperationKeys = _operationKeys is null ? [] : [.. _operationKeys.Distinct(StringComparer.Ordinal)],
            ExpiresAt = _expiresAt,
        };
        Version = await _storage.WriteAsync(write, CancellationToken.None).ConfigureAwait(true);
        _committedExpiry = write.ExpiresAt;

        var cleared = _deadlines.Keys.Where(name => !next.ContainsKey(name)).ToList();
        _deadlines = next;
        _events = null;
        _indexEntries = null;
        _indexRemovals = null;
        _operationKeys = null;
        _deadlineChanges = null;
        if (write.Events.Count > 0)
        {
            _signals.EventsAppended.Pulse();
            _signals.EventsAvailable.Pulse();
        }

        // Unregister last: a crash before this leaves a reminder without a deadline, which removes itself when it ticks.
        foreach (var name in cleared)
        {
            await UnregisterAsync(name).ConfigureAwait(true);
        }

        foreach (var name in movedLater ?? [])
        {
            await MoveLaterAsync(name, next[name], now).ConfigureAwait(true);
        }
    }

    public async Task ReadStateAsync() =>
        Apply(await _storage.ReadAsync(_key, CancellationToken.None).ConfigureAwait(true));

    /// <summary>Makes <paramref name="stored"/> this activation's state, dropping whatever the turn queued.</summary>
    private void Apply(StoredState? stored)
    {
        DiscardQueued();
        State = stored is null ? new TState() : JsonSerializer.Deserialize<TState>(stored.Json, GrainJson.Options) ?? new TState();
        Version = stored?.Version ?? 0;
        _deadlines = stored is null || stored.DeadlinesJson is "{}" or ""
            ? NoDeadlines
            : JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(stored.DeadlinesJson, GrainJson.Options) ?? NoDeadlines;
        _stale = false;
    }

    // IDurableStateControl: the grain base class and the call filter drive these.

    public async Task BeforeCallAsync()
    {
        if (_stale)
        {
            await ReadStateAsync().ConfigureAwait(true);
        }
    }

    public void OnCallFailed()
    {
        DiscardQueued();
        _stale = true;
    }

    public async Task<bool> HandleDeadlineAsync(string name, Func<string, DateTimeOffset, Task> handler)
    {
        if (!_deadlines.TryGetValue(name, out var dueAt))
        {
            // Another activation of this grain (briefly, while membership settles) may have committed this deadline:
            // look at what is stored before calling the tick stray.
            var stored = await _storage.ReadAsync(_key, CancellationToken.None).ConfigureAwait(true);
            if ((stored?.Version ?? 0) != Version)
            {
                Apply(stored);
            }

            if (!_deadlines.TryGetValue(name, out dueAt))
            {
                // A stray tick: the write that would have set this deadline failed, or the one that cleared it crashed
                // before unregistering. Either way nothing is due.
                await UnregisterAsync(name).ConfigureAwait(true);
                return false;
            }
        }

        var now = _time.GetUtcNow();
        if (dueAt > now)
        {
            // An early tick: a reminder left at an earlier time (a move that crashed before it followed, or another
            // activation's) would tick every retry period until the deadline. Put it where the deadline is, once.
            if (!_registeredFor.TryGetValue(name, out var registered) || registered != dueAt)
            {
                await RegisterAsync(name, dueAt, now).ConfigureAwait(true);
            }

            return false;
        }

        _handling = (name, dueAt);
        try
        {
            await handler(name, dueAt).ConfigureAwait(true);

            // A handler that wrote consumed its deadline in that write; one that did not is acknowledged here.
            if (_deadlines.TryGetValue(name, out var still) && still == dueAt)
            {
                await WriteStateAsync().ConfigureAwait(true);
            }

            var grainType = new KeyValuePair<string, object?>("grain_type", _key.Type);
            Hosting.OzonMetrics.DeadlinesFired.Add(1, grainType);
            Hosting.OzonMetrics.DeadlineLateness.Record(Math.Max(0, (now - dueAt).TotalSeconds), grainType);
        }
        finally
        {
            _handling = null;
        }

        return true;
    }

    public async Task ApplyDueDeadlinesAsync(Func<string, DateTimeOffset, Task> handler)
    {
        // Bounded: a handler that sets its own deadline in the past again must not hold the call forever. Most grains hold
        // no deadline, and this runs before every call: they pay one count check.
        for (var round = 0; round < 64 && _deadlines.Count > 0; round++)
        {
            var now = _time.GetUtcNow();
            var due = _deadlines.Where(d => d.Value <= now).OrderBy(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal)
                .Select(d => d.Key).FirstOrDefault();
            if (due is null || !await HandleDeadlineAsync(due, handler).ConfigureAwait(true))
            {
                return;
            }
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await ReadStateAsync().ConfigureAwait(true);
    }

    /// <summary>
    /// A deadline the state holds but the reminder table lacks (data written before reminders were Orleans', or a
    /// table restored apart from the state) gets its reminder back when the grain activates.
    /// </summary>
    private async Task RestoreRemindersAsync(CancellationToken cancellationToken)
    {
        if (_deadlines.Count == 0)
        {
            return;
        }

        var registered = await Reminders.GetReminders(_context.GrainId, cancellationToken).ConfigureAwait(true);
        foreach (var reminder in registered)
        {
            _reminders[reminder.ReminderName] = reminder;
        }

        var now = _time.GetUtcNow();
        foreach (var (name, dueAt) in _deadlines)
        {
            if (!_reminders.ContainsKey(name))
            {
                LogRestoringReminder(_log, name, _context.GrainId, dueAt);
                await RegisterAsync(name, dueAt, now).ConfigureAwait(true);
            }
        }
    }

    private Dictionary<string, DateTimeOffset> NextDeadlines()
    {
        var changes = _deadlineChanges;
        (string Name, DateTimeOffset DueAt)? handled = _handling is { } h && (changes is null || !changes.ContainsKey(h.Name)) ? h : null;
        if (changes is null && handled is null)
        {
            return _deadlines;
        }

        var next = new Dictionary<string, DateTimeOffset>(_deadlines, StringComparer.Ordinal);
        if (handled is { } ack && next.TryGetValue(ack.Name, out var dueAt) && dueAt == ack.DueAt)
        {
            next.Remove(ack.Name);
        }

        foreach (var (name, change) in changes ?? [])
        {
            if (change is { } due)
            {
                next[name] = due;
            }
            else
            {
                next.Remove(name);
            }
        }

        return next;
    }

    private async Task RegisterAsync(string name, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var dueTime = dueAt > now ? dueAt - now : TimeSpan.Zero;
        try
        {
            _reminders[name] = await Reminders.RegisterOrUpdateReminder(_context.GrainId, name, dueTime, _options.RetryPeriod)
                .ConfigureAwait(true);
            _registeredFor[name] = dueAt;
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not GrainStorageException)
        {
            // Nothing is committed yet: to the caller this is the store failing (a 503, try again), as the facet promises.
            throw new GrainStorageException($"Registering the reminder of deadline '{name}' of {_context.GrainId} failed: {exception.Message}", exception);
        }
    }

    /// <summary>After the write that moved a deadline later: its reminder follows, so it stops ticking in vain meanwhile.</summary>
    private async Task MoveLaterAsync(string name, DateTimeOffset dueAt, DateTimeOffset now)
    {
        try
        {
            await RegisterAsync(name, dueAt, now).ConfigureAwait(true);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The write has committed: failing the call would report a committed change as failed. The earlier reminder
            // ticks every retry period and is ignored until the deadline, when it handles it.
            LogMoveFailed(_log, exception, name, _context.GrainId);
        }
    }

    private async Task UnregisterAsync(string name)
    {
        try
        {
            _registeredFor.Remove(name);
            if (!_reminders.Remove(name, out var reminder))
            {
                reminder = await Reminders.GetReminder(_context.GrainId, name).ConfigureAwait(true);
            }

            if (reminder is not null)
            {
                await Reminders.UnregisterReminder(_context.GrainId, reminder).ConfigureAwait(true);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The write that cleared the deadline has committed; failing the call now would report a committed change as
            // failed. The reminder ticks again, finds no deadline, and removes itself then.
            LogUnregisterFailed(_log, exception, name, _context.GrainId);
        }
    }

    private void DiscardQueued()
    {
        _events = null;
        _indexEntries = null;
        _indexRemovals = null;
        _operationKeys = null;
        _deadlineChanges = null;
    }

    private static void ValidateDeadlineName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxDeadlineNameLength)
        {
            throw new ArgumentException($"A deadline name must be at most {MaxDeadlineNameLength} characters.", nameof(name));
        }
    }

    [LoggerMessage(1200, LogLevel.Information, "Deadline '{Name}' of {GrainId} (due {DueAt}) had no reminder; registering it again.")]
    private static partial void LogRestoringReminder(ILogger logger, string name, GrainId grainId, DateTimeOffset dueAt);

    [LoggerMessage(1205, LogLevel.Warning, "Moving the reminder of deadline '{Name}' of {GrainId} later failed; it ticks early, in vain, until the deadline.")]
    private static partial void LogMoveFailed(ILogger logger, Exception exception, string name, GrainId grainId);

    [LoggerMessage(1201, LogLevel.Warning, "Unregistering the reminder of cleared deadline '{Name}' of {GrainId} failed; its next tick removes it.")]
    private static partial void LogUnregisterFailed(ILogger logger, Exception exception, string name, GrainId grainId);
}
