using System.Diagnostics;

namespace OzonActors.Bench;

/// <summary>What a timed run measured: operations completed inside the window, and their latencies.</summary>
internal sealed record RunResult(long Operations, TimeSpan Window, LatencyHistogram Latency)
{
    public double PerSecond => Operations / Window.TotalSeconds;

    /// <summary>This run and <paramref name="other"/> as one: operations, windows and latencies added up.</summary>
    public RunResult Plus(RunResult? other)
    {
        if (other is null)
        {
            return this;
        }

        var latency = new LatencyHistogram();
        latency.Add(Latency);
        latency.Add(other.Latency);
        return new RunResult(Operations + other.Operations, Window + other.Window, latency);
    }
}

/// <summary>
/// Runs N workers, each looping one operation for warm-up plus the measured window. Every worker times each
/// operation with <see cref="Stopwatch.GetTimestamp"/> into its own histogram, and counts only operations that
/// started after the warm-up and ended inside the window; each worker stops by itself when the window ends.
/// </summary>
internal static class TimedRun
{
    /// <summary>A worker yields its thread this often, so that workers whose operation completes synchronously still interleave.</summary>
    private const int YieldEvery = 256;

    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    public static async Task<RunResult> RunAsync(IReadOnlyList<Func<Task>> workers, TimeSpan warmup, TimeSpan window)
    {
        var histograms = workers.Select(_ => new LatencyHistogram()).ToArray();
        var measureFrom = Stopwatch.GetTimestamp() + Ticks(warmup);
        var measureUntil = measureFrom + Ticks(window);
        var counts = await Task.WhenAll(workers.Select((work, i) =>
            Task.Run(() => LoopAsync(work, histograms[i], measureFrom, measureUntil))));

        var latency = new LatencyHistogram();
        foreach (var histogram in histograms)
        {
            latency.Add(histogram);
        }

        return new RunResult(counts.Sum(), window, latency);
    }

    public static long Nanoseconds(long stopwatchTicks) => (long)(stopwatchTicks * NanosecondsPerTick);

    private static async Task<long> LoopAsync(Func<Task> work, LatencyHistogram histogram, long measureFrom, long measureUntil)
    {
        long measured = 0;
        for (var i = 1; ; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await work();
            var end = Stopwatch.GetTimestamp();
            if (end >= measureUntil)
            {
                return measured;
            }

            if (start >= measureFrom)
            {
                histogram.Record(Nanoseconds(end - start));
                measured++;
            }

            if (i % YieldEvery == 0)
            {
                await Task.Yield();
            }
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
