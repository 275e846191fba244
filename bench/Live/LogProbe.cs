using System.Text.Json;
using OzonActors.Persistence;
using OzonActors.Persistence.Events;

namespace OzonActors.Bench.Live;

/// <summary>
/// Follows the event log in the committing process and records, per bench event, the time from its stamp until a
/// feed could read it. It splits the end-to-end latency: the log's share (commit, and waiting for older open
/// transactions) versus the push's share (gateway wake-up, SignalR, the client).
/// </summary>
internal sealed class LogProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<double> _latencies = [];
    private readonly Task _reader;

    private readonly Func<EventEnvelope, double?> _stamp;

    /// <param name="feed">The event log, read as a gateway reads it.</param>
    /// <param name="after">The position to follow the log from.</param>
    /// <param name="stamp">
    /// An event's commit stamp in ms since the epoch, or null for events the probe ignores; by default a <c>BenchTick</c>'s
    /// <see cref="BenchTick.SentAt"/>.
    /// </param>
    public LogProbe(EventFeed feed, EventPosition after, Func<EventEnvelope, double?>? stamp = null)
    {
        _stamp = stamp ?? BenchTickStamp;
        _reader = Task.Run(() => ReadAsync(feed, after));
    }

    public void Reset()
    {
        lock (_latencies)
        {
            _latencies.Clear();
        }
    }

    /// <summary>The latency (ms) at <paramref name="quantile"/> since the last reset.</summary>
    public double Percentile(double quantile)
    {
        lock (_latencies)
        {
            if (_latencies.Count == 0)
            {
                return 0;
            }

            _latencies.Sort();
            return _latencies[Math.Clamp((int)Math.Ceiling(quantile * _latencies.Count) - 1, 0, _latencies.Count - 1)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(EventFeed feed, EventPosition after)
    {
        await foreach (var envelope in feed.SubscribeAsync(after, _stop.Token))
        {
            var readAt = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
            if (_stamp(envelope) is { } stampedAt)
            {
                lock (_latencies)
                {
                    _latencies.Add(readAt - stampedAt);
                }
            }
        }
    }

    private static double? BenchTickStamp(EventEnvelope envelope) =>
        envelope.Type == "BenchTick" && JsonSerializer.Deserialize<BenchTick>(envelope.DataJson, GrainJson.Options) is { } tick
            ? tick.SentAt
            : null;
}
