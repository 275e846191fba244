using OzonActors.Bench.Grains;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// In-process grain calls on an Orleans silo hosted in the bench process (in memory), made through the silo's own
/// grain factory: callers each on their own grain, then all on one grain, next
/// to the same method called directly on instances of the same class through the same interface (no runtime).
/// </summary>
internal static class CallsScenario
{
    private const double TargetCallsPerSecond = 250_000;
    private const long TargetP99Nanoseconds = 1_000_000;

    public static async Task RunAsync(BenchArgs args)
    {
        Report.Header("calls: in-process grain calls", args);
        Report.Facts(
            "Runtime: an Orleans 10 silo in the bench process (Host + UseOrleans: localhost clustering, in-memory store and "
                + "reminders), system clock; calls through the silo's own IGrainFactory (co-hosted client, no network hop)",
            $"Load: {args.Callers} concurrent callers, each looping `await grain.EchoAsync(1)`; "
                + $"{Report.Seconds(args.Warmup)} s warm-up, then {Report.Seconds(args.Duration)} s measured per case",
            "Latency: each call timed with Stopwatch.GetTimestamp into a per-caller histogram (no allocation per sample)");

        var table = new MarkdownTable("Case", "Calls/s", "p50", "p99", "Target", "Result");
        await using (var cluster = await BenchCluster.StartAsync(args.Settings, connectionString: null))
        {
            var factory = cluster.GrainFactory;
            var own = Enumerable.Range(0, args.Callers).Select(i => factory.GetGrain<IBenchCallGrain>($"caller-{i}"));
            await MeasureAsync(table, args, "runtime: own grain per caller", own, targeted: true);

            var shared = factory.GetGrain<IBenchCallGrain>("shared");
            await MeasureAsync(table, args, "runtime: all callers on one grain", Enumerable.Repeat(shared, args.Callers), targeted: true);
        }

        var instances = Enumerable.Range(0, args.Callers).Select(_ => (IBenchCallGrain)new BenchCallGrain());
        await MeasureAsync(table, args, "direct: own instance per caller (baseline)", instances, targeted: false);

        IBenchCallGrain instance = new BenchCallGrain();
        await MeasureAsync(table, args, "direct: all callers on one instance (baseline)", Enumerable.Repeat(instance, args.Callers), targeted: false);
        table.Print();
    }

    private static async Task MeasureAsync(
        MarkdownTable table, BenchArgs args, string name, IEnumerable<IBenchCallGrain> targets, bool targeted)
    {
        Report.Progress($"calls: {name} ...");
        var workers = targets.Select(target => (Func<Task>)(() => target.EchoAsync(1))).ToList();
        var result = await TimedRun.RunAsync(workers, args.Warmup, args.Duration);
        var p99 = result.Latency.Percentile(0.99);
        var target = targeted ? $"≥ {Report.Number(TargetCallsPerSecond)} calls/s, p99 < 1 ms" : "";
        var verdict = !targeted ? "" : Verdict(result.PerSecond, p99);
        table.Add(name, Report.Number(result.PerSecond), Report.Duration(result.Latency.Percentile(0.5)),
            Report.Duration(p99), target, verdict);
    }

    private static string Verdict(double perSecond, long p99)
    {
        var misses = new List<string>();
        if (perSecond < TargetCallsPerSecond)
        {
            misses.Add($"calls/s {Report.Decimal(100 * (1 - (perSecond / TargetCallsPerSecond)), 0)}% short");
        }

        if (p99 >= TargetP99Nanoseconds)
        {
            misses.Add($"p99 {Report.Decimal((double)p99 / TargetP99Nanoseconds, 1)}× the limit");
        }

        return misses.Count == 0 ? Report.Verdict(true) : $"{Report.Verdict(false)} ({string.Join("; ", misses)})";
    }
}
