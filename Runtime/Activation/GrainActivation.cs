using System.Diagnostics;
using OzonActors.Runtime.Storage;

namespace OzonActors.Runtime.Activation;

/// <summary>
/// One in-memory instance of a grain and its queue of turns. Exactly one turn runs at a time, awaits included:
/// the pump takes the next item only after the previous one's task completed.
/// </summary>
internal sealed class GrainActivation(GrainId id, GrainClassInfo grainClass, Catalog runtime) : IThreadPoolWorkItem
{
    /// <summary>Turns run back to back before the pump yields its thread to other activations.</summary>
    private const int TurnsPerSlice = 64;

    private readonly Lock _lock = new();
    private IWorkItem? _head;
    private IWorkItem? _tail;
    private IWorkItem? _running;
    private bool _scheduled;
    private bool _closed;
    private bool _reload;
    private bool _deactivateOnIdle;
    // A new activation counts as just used, so the collector cannot close it before its first call is queued.
    private long _idleSince = runtime.Time.GetTimestamp();

    public GrainId Id { get; } = id;

    public GrainClassInfo GrainClass { get; } = grainClass;

    public Catalog Runtime { get; } = runtime;

    public Grain? Grain { get; private set; }

    /// <summary>The reminder delivery the current turn handles, acknowledged by its write.</summary>
    public ReminderAck? CurrentReminder { get; set; }

    /// <summary>Queues a turn; false when this activation is closing and the caller must look up a new one.</summary>
    public bool TryEnqueue(IWorkItem item)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            if (_tail is null)
            {
                _head = item;
            }
            else
            {
                _tail.Next = item;
            }

            _tail = item;
            if (_scheduled)
            {
                return true;
            }

            _scheduled = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return true;
    }

    public void Execute() => _ = PumpAsync();

    public void DeactivateOnIdle() => _deactivateOnIdle = true;

    /// <summary>Called after a turn succeeded: changes queued without a write are a bug in the grain.</summary>
    public void CompleteTurn()
    {
        if (Grain!.HasUncommittedChanges)
        {
            Grain.DiscardUncommittedChanges();
            throw new InvalidOperationException(
                $"{GrainClass.Type.Name} queued events or reminder changes without calling WriteStateAsync; they were discarded.");
        }
    }

    /// <summary>Called after a turn threw: a stateful grain is reloaded before its next turn.</summary>
    public void FailTurn()
    {
        Grain!.DiscardUncommittedChanges();
        _reload |= Grain.ReloadAfterFailedTurn;
    }

    /// <summary>Closes the activation if it has been idle for <paramref name="age"/>; true if it did.</summary>
    public bool TryCloseIdle(TimeSpan age)
    {
        lock (_lock)
        {
            if (_closed || _scheduled || Runtime.Time.GetElapsedTime(_idleSince) < age)
            {
                return false;
            }

            _closed = true;
            Runtime.RegisterClosing(Id);
            return true;
        }
    }

    /// <summary>Fails calls that have waited longer than <paramref name="timeout"/>.</summary>
    public void ExpireCalls(TimeSpan timeout)
    {
        lock (_lock)
        {
            if (_running is { } running && Stopwatch.GetElapsedTime(running.StartedAt) > timeout)
            {
                running.Fail(Timeout(running, timeout));
            }

            for (var item = _head; item is not null; item = item.Next)
            {
                if (Stopwatch.GetElapsedTime(item.StartedAt) > timeout)
                {
                    item.Fail(Timeout(item, timeout));
                }
            }
        }
    }

    private static TimeoutException Timeout(IWorkItem item, TimeSpan timeout) =>
        new($"The call {item.Call.Method} to {item.Call.Target} did not complete within {timeout}.");

    private async Task PumpAsync()
    {
        for (var turns = 0; ; turns++)
        {
            IWorkItem? item;
            lock (_lock)
            {
                item = _head;
                if (item is null || _closed)
                {
                    break;
                }

                if (turns == TurnsPerSlice)
                {
                    // Let other activations run; _scheduled stays true, so nobody else starts a pump.
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                    return;
                }

                _head = item.Next;
                if (_head is null)
                {
                    _tail = null;
                }

                item.Next = null;
                _running = item;
            }

            if (!item.IsDone && await EnsureActiveAsync(item).ConfigureAwait(false))
            {
                await item.RunAsync(this).ConfigureAwait(false);
            }

            lock (_lock)
            {
                _running = null;
            }

            if (_reload)
            {
                Drop();
                return;
            }
        }

        bool idleNow;
        lock (_lock)
        {
            // Re-checked under the lock: an item queued after the loop saw an empty queue keeps this pump going.
            if (_head is not null && !_closed)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }

            _scheduled = false;
            _idleSince = Runtime.Time.GetTimestamp();
            idleNow = _deactivateOnIdle && !_closed;
            if (idleNow)
            {
                _closed = true;
                Runtime.RegisterClosing(Id);
            }
        }

        if (idleNow)
        {
            await Runtime.DeactivateAsync(this, DeactivationReason.Idle).ConfigureAwait(false);
        }
    }

    private async Task<bool> EnsureActiveAsync(IWorkItem item)
    {
        if (Grain is not null)
        {
            return true;
        }

        try
        {
            await Runtime.WaitForDeactivationAsync(Id).ConfigureAwait(false);
            var grain = (Grain)GrainClass.Factory(Runtime.Services, []);
            grain.Activation = this;
            await grain.LoadStateAsync(CancellationToken.None).ConfigureAwait(false);
            await grain.OnActivateAsync(CancellationToken.None).ConfigureAwait(false);
            Grain = grain;
            return true;
        }
        catch (Exception exception)
        {
            Runtime.Log.ActivationFailed(exception, Id);
            item.Fail(exception);
            _reload = true;
            return false;
        }
    }

    /// <summary>
    /// Drops this activation without deactivating it (its state is stale or it failed to activate) and hands its
    /// queued calls to a fresh activation, which reloads the state.
    /// </summary>
    private void Drop()
    {
        IWorkItem? queued;
        lock (_lock)
        {
            _closed = true;
            queued = _head;
            _head = _tail = null;
        }

        Runtime.Remove(this);
        while (queued is not null)
        {
            var next = queued.Next;
            queued.Next = null;
            Runtime.Dispatch(queued);
            queued = next;
        }
    }
}
