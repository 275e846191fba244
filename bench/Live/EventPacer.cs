using System.Diagnostics;

namespace OzonActors.Bench.Live;

/// <summary>What a paced run committed: how many events, and over how long until the last commit returned.</summary>
internal sealed record PacedRun(long Emitted, long Failed, TimeSpan Elapsed)
{
    public double CommittedPerSecond => (Emitted - Failed) / Elapsed.TotalSeconds;
}

/// <summary>
/// Offers events at a fixed rate, open loop: call k starts at k / rate seconds whether or not earlier ones returned,
/// so a slow commit path shows up as latency, not as a lower offered rate. Event k is <c>emit(firstSequence + k)</c>
/// (e.g. a call on grain k mod n: grains are taken in turn).
/// </summary>
internal static class EventPacer
{
    public static async Task<PacedRun> RunAsync(
        Func<long, Task> emit, int rate, TimeSpan warmup, TimeSpan duration, long firstSequence, Func<Task> atMeasureStart)
    {
        var calls = new List<Task>((int)(rate * (warmup + duration).TotalSeconds) + 16);
        Task? measureStarted = warmup == TimeSpan.Zero ? atMeasureStart() : null;
        var clock = Stopwatch.StartNew();
        long emitted = 0;
        while (clock.Elapsed < warmup + duration)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; emitted < due; emitted++)
            {
                calls.Add(emit(firstSequence + emitted));
            }

            if (measureStarted is null && clock.Elapsed >= warmup)
            {
                measureStarted = atMeasureStart();
            }

            // About a millisecond: calls go out in small bursts, close to their due time.
            await Task.Delay(1);
        }

        long failed = 0;
        foreach (var call in calls)
        {
            try
            {
                await call;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                if (failed++ == 0)
                {
                    Report.Progress($"live: a commit failed: {exception.Message}");
                }
            }
        }

        var elapsed = clock.Elapsed;
        await (measureStarted ?? Task.CompletedTask);
        return new PacedRun(emitted, failed, elapsed);
    }
}
