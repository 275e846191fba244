using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OzonActors.Runtime.Activation;
using OzonActors.Runtime.Configuration;
using OzonActors.Runtime.Storage;

namespace OzonActors.Runtime.Reminders;

/// <summary>
/// Delivers due reminders at least once through <see cref="IRemindable.ReceiveReminderAsync"/>. A reminder is
/// claimed with a lease, delivered through the catalog like any call, and removed only after the handling turn
/// completed; a failed handler is retried with exponential backoff. Due times come from the injected clock.
/// </summary>
internal sealed class ReminderService(
    IReminderTable table,
    Catalog catalog,
    GrainTypeRegistry registry,
    IOptions<ReminderOptions> options,
    ILogger<ReminderService> log)
{
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly ReminderOptions _options = options.Value;
    private readonly GrainMethod _receive =
        registry.GetInterface(typeof(IRemindable)).ByName[nameof(IRemindable.ReceiveReminderAsync)];

    private TimeProvider Time => catalog.Time;

    /// <summary>The background loop: fire what is due, then sleep until the next due instant, a new reminder or the poll interval.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var changed = catalog.Signals.RemindersChanged.Next;
            try
            {
                if (await RunPassAsync(stopping).ConfigureAwait(false) > 0)
                {
                    continue;
                }

                var next = await table.NextDueAsync(stopping).ConfigureAwait(false);
                var delay = next is { } due ? due - Time.GetUtcNow() : _options.PollInterval;
                if (delay > TimeSpan.Zero)
                {
                    await AsyncSignal.WaitAsync(changed, delay < _options.PollInterval ? delay : _options.PollInterval, Time, stopping)
                        .ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                log.ReminderLoopFailed(exception, _options.PollInterval);
                await AsyncSignal.WaitAsync(changed, _options.PollInterval, Time, stopping).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Fires everything due now, passes after passes, and returns when nothing due is left (tests await this).</summary>
    public async Task FireDueAsync(CancellationToken cancellationToken = default)
    {
        while (await RunPassAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    /// <summary>
    /// Claims and delivers until nothing is due, keeping up to <c>MaxConcurrentDeliveries</c> deliveries in flight and
    /// claiming again whenever a quarter of them is free, so one slow reminder never holds a whole batch back.
    /// Returns how many were claimed.
    /// </summary>
    private async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var claimed = 0;
            var running = new List<Task>(_options.MaxConcurrentDeliveries);
            var handled = new List<ReminderEntry>();
            var claimWhenFree = Math.Max(1, _options.MaxConcurrentDeliveries / 4);
            var exhausted = false;
            while (true)
            {
                var free = _options.MaxConcurrentDeliveries - running.Count;
                if (!exhausted && (free >= claimWhenFree || running.Count == 0))
                {
                    var now = Time.GetUtcNow();
                    var due = await table.ClaimDueAsync(now, Math.Min(free, _options.BatchSize), now + _options.LeaseDuration, cancellationToken)
                        .ConfigureAwait(false);
                    claimed += due.Count;
                    exhausted = due.Count == 0;
                    running.AddRange(due.Select(entry => DeliverAsync(entry, handled)));
                }

                if (running.Count == 0)
                {
                    break;
                }

                await Task.WhenAny(running).ConfigureAwait(false);
                running.RemoveAll(task => task.IsCompleted);
                if (handled.Count >= _options.BatchSize / 4 || running.Count == 0)
                {
                    await CompleteAsync(handled, cancellationToken).ConfigureAwait(false);
                }
            }

            await CompleteAsync(handled, cancellationToken).ConfigureAwait(false);
            return claimed;
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task CompleteAsync(List<ReminderEntry> handled, CancellationToken cancellationToken)
    {
        ReminderEntry[] done;
        lock (handled)
        {
            done = [.. handled];
            handled.Clear();
        }

        await table.CompleteAsync(done, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Delivers one reminder; adds it to <paramref name="handled"/> if it still has to be removed.</summary>
    private async Task DeliverAsync(ReminderEntry entry, List<ReminderEntry> handled)
    {
        // A handler that wrote removed its reminder in that write; only the others need removing here.
        if (await DeliverAsync(entry).ConfigureAwait(false) && !catalog.TryTakeAcknowledged(entry.Id))
        {
            lock (handled)
            {
                handled.Add(entry);
            }
        }
    }

    private async Task<bool> DeliverAsync(ReminderEntry entry)
    {
        try
        {
            await catalog.InvokeAsync<object?>(new GrainCall(
                entry.GrainId, _receive, [entry.Name, entry.DueAt], new ReminderAck(entry.Name, entry.Id))).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception)
        {
            catalog.TryTakeAcknowledged(entry.Id);
            var retryAt = Time.GetUtcNow() + RetryDelay(entry.Attempts);
            log.ReminderFailed(exception, entry.Name, entry.GrainId, entry.Attempts + 1, retryAt);
            await table.RetryAsync(entry, retryAt, CancellationToken.None).ConfigureAwait(false);
            return false;
        }
    }

    private TimeSpan RetryDelay(int attempts)
    {
        var delay = _options.RetryMinDelay * Math.Pow(2, Math.Min(attempts, 30));
        return delay < _options.RetryMaxDelay ? delay : _options.RetryMaxDelay;
    }
}
