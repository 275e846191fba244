namespace OzonActors.Bench.Grains;

/// <summary>What the reminder grains observed during one phase: lag per fire, how many fired, when the last one did.</summary>
public sealed class ReminderProbe
{
    private LatencyHistogram _lags = new();
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _expected = long.MaxValue;
    private long _fired;
    private long _lastFiredTicks;

    internal LatencyHistogram Lags => Volatile.Read(ref _lags);

    internal long Fired => Interlocked.Read(ref _fired);

    internal DateTimeOffset LastFiredAt => new(Interlocked.Read(ref _lastFiredTicks), TimeSpan.Zero);

    /// <summary>Completes when <see cref="Fired"/> reaches the count given to <see cref="Reset"/>.</summary>
    internal Task Done => Volatile.Read(ref _done).Task;

    /// <summary>Called by a grain after the write that handled a reminder committed.</summary>
    public void Record(TimeSpan lag)
    {
        var now = DateTimeOffset.UtcNow.UtcTicks;
        Lags.RecordConcurrent(Math.Max(0, lag.Ticks) * 100);
        var last = Interlocked.Read(ref _lastFiredTicks);
        while (now > last)
        {
            var seen = Interlocked.CompareExchange(ref _lastFiredTicks, now, last);
            if (seen == last)
            {
                break;
            }

            last = seen;
        }

        if (Interlocked.Increment(ref _fired) == Interlocked.Read(ref _expected))
        {
            Volatile.Read(ref _done).TrySetResult();
        }
    }

    /// <summary>Starts a new phase that expects <paramref name="expected"/> fires.</summary>
    internal void Reset(long expected)
    {
        Volatile.Write(ref _lags, new LatencyHistogram());
        Volatile.Write(ref _done, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Exchange(ref _fired, 0);
        Interlocked.Exchange(ref _lastFiredTicks, 0);
        Interlocked.Exchange(ref _expected, expected);
    }
}
