using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OzonActors.Runtime.Configuration;
using OzonActors.Runtime.Storage;

namespace OzonActors.Runtime.Activation;

/// <summary>
/// The activations of this process: creates them on first call, routes calls to them, collects idle ones and
/// times out calls that take too long.
/// </summary>
internal sealed class Catalog : IGrainCallRouter, IDisposable
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();
    private readonly ConcurrentDictionary<GrainId, TaskCompletionSource> _closing = new();
    private readonly ConcurrentDictionary<Guid, byte> _acknowledgedReminders = new();
    private readonly GrainTypeRegistry _registry;
    private readonly RuntimeOptions _options;
    private readonly ITimer _collectionTimer;
    private readonly Timer _timeoutTimer;
    private Task _collection = Task.CompletedTask;

    public Catalog(
        GrainTypeRegistry registry,
        IGrainStorage storage,
        TimeProvider time,
        IOptions<RuntimeOptions> options,
        IServiceProvider services,
        RuntimeSignals signals,
        ILogger<Catalog> logger)
    {
        _registry = registry;
        _options = options.Value;
        Storage = storage;
        Time = time;
        Services = services;
        Signals = signals;
        Log = logger;
        Factory = new GrainFactory(registry, this);
        _collectionTimer = time.CreateTimer(
            static state => ((Catalog)state!).StartCollection(), this, _options.CollectionQuantum, _options.CollectionQuantum);

        // Call timeouts guard against stuck turns in real time, like a socket timeout; business time is not involved.
        var sweep = TimeSpan.FromTicks(Math.Clamp(_options.CallTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 20, TimeSpan.TicksPerSecond));
        _timeoutTimer = new Timer(static state => ((Catalog)state!).ExpireCalls(), this, sweep, sweep);
    }

    public GrainFactory Factory { get; }

    public IGrainStorage Storage { get; }

    public TimeProvider Time { get; }

    public IServiceProvider Services { get; }

    public RuntimeSignals Signals { get; }

    public ILogger Log { get; }

    public int ActivationCount => _activations.Count;

    public Task<T> InvokeAsync<T>(GrainCall call)
    {
        var request = new GrainRequest<T>(call);
        Dispatch(request);
        return request.Task;
    }

    /// <summary>Queues the item on the target's activation, creating one if needed.</summary>
    public void Dispatch(IWorkItem item)
    {
        var target = item.Call.Target;
        while (true)
        {
            GrainActivation activation;
            try
            {
                activation = _activations.GetOrAdd(
                    target, static (id, self) => new GrainActivation(id, self._registry.GetClass(id.Type), self), this);
            }
            catch (ArgumentException exception)
            {
                item.Fail(exception);
                return;
            }

            if (activation.TryEnqueue(item))
            {
                return;
            }

            // That activation is closing; it is already registered as closing, so a new one waits for it.
            _activations.TryRemove(KeyValuePair.Create(target, activation));
        }
    }

    /// <summary>Called after a write committed, to wake whoever waits for reminders or events.</summary>
    public void OnCommitted(GrainWrite write)
    {
        if (write.AcknowledgedReminder is { } acknowledged)
        {
            _acknowledgedReminders.TryAdd(acknowledged.Id, 0);
        }

        if (write.Reminders.Count > 0)
        {
            Signals.RemindersChanged.Pulse();
        }

        if (write.Events.Count > 0)
        {
            Signals.EventsAppended.Pulse();
            Signals.EventsAvailable.Pulse();
        }
    }

    /// <summary>True once if a committed write already removed the reminder delivery <paramref name="id"/>.</summary>
    public bool TryTakeAcknowledged(Guid id) => _acknowledgedReminders.TryRemove(id, out _);

    /// <summary>
    /// Records that the activation of <paramref name="id"/> is closing; a new activation of it waits. At most one
    /// activation of a grain closes at a time: a new one exists only after it waited for the previous one.
    /// </summary>
    public void RegisterClosing(GrainId id) =>
        _closing.TryAdd(id, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>A new activation waits until the previous one of the same grain finished deactivating.</summary>
    public Task WaitForDeactivationAsync(GrainId id) =>
        _closing.TryGetValue(id, out var closing) ? closing.Task : Task.CompletedTask;

    public void Remove(GrainActivation activation) =>
        _activations.TryRemove(KeyValuePair.Create(activation.Id, activation));

    /// <summary>Runs <c>OnDeactivateAsync</c> of a closed activation and forgets it.</summary>
    public async Task DeactivateAsync(GrainActivation activation, DeactivationReason reason)
    {
        Remove(activation);
        try
        {
            if (activation.Grain is { } grain)
            {
                await grain.OnDeactivateAsync(reason, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            Log.DeactivationFailed(exception, activation.Id);
        }
        finally
        {
            if (_closing.TryRemove(activation.Id, out var closing))
            {
                closing.TrySetResult();
            }
        }
    }

    /// <summary>Deactivates every activation idle for at least <paramref name="age"/>.</summary>
    public Task CollectIdleAsync(TimeSpan age, DeactivationReason reason = DeactivationReason.Idle)
    {
        var deactivations = new List<Task>();
        foreach (var activation in _activations.Values)
        {
            if (activation.TryCloseIdle(age))
            {
                deactivations.Add(DeactivateAsync(activation, reason));
            }
        }

        return Task.WhenAll(deactivations);
    }

    /// <summary>Awaits the collection pass the timer last started (tests advance the clock, then await this).</summary>
    public Task WaitForCollectionAsync() => Volatile.Read(ref _collection);

    /// <summary>Deactivates everything at shutdown, giving busy activations up to <paramref name="patience"/> to finish.</summary>
    public async Task DeactivateAllAsync(TimeSpan patience)
    {
        var started = TimeProvider.System.GetTimestamp();
        do
        {
            await CollectIdleAsync(TimeSpan.Zero, DeactivationReason.Shutdown).ConfigureAwait(false);
            if (_activations.IsEmpty)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
        }
        while (TimeProvider.System.GetElapsedTime(started) < patience);
    }

    public void Dispose()
    {
        _collectionTimer.Dispose();
        _timeoutTimer.Dispose();
    }

    private void StartCollection() => Volatile.Write(ref _collection, CollectIdleAsync(_options.CollectionAge));

    private void ExpireCalls()
    {
        foreach (var activation in _activations.Values)
        {
            activation.ExpireCalls(_options.CallTimeout);
        }
    }
}
