using OzonActors.Bench.Grains;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// Memory held per idle activation with a small state (an int and a short string) on an in-memory Orleans silo in the
/// bench process: the settled heap grows by this much per activation, minus what the same states cost on their own.
/// Activations are counted by Orleans (<c>IManagementGrain.GetTotalActivationCount</c>, before and after), since the
/// catalog's count of the old runtime is gone; the heap is the bench process's, which holds the silo.
/// </summary>
internal static class MemoryScenario
{
    private const double TargetBytes = 2048;
    private const int WarmupActivations = 1_000;
    private const int CallsInFlight = 256;

    public static async Task RunAsync(BenchArgs args)
    {
        Report.Header("memory: bytes per idle activation", args);
        Report.Facts(
            "Runtime: an Orleans 10 silo in the bench process (in-memory store, localhost clustering), system clock; each grain is a "
                + "DurableGrain whose [DurableState] is read once at activation and touched once, nothing written",
            "Heap: GC.GetTotalMemory(forceFullCollection: true) after a blocking compacting collection, before and after; "
                + $"{Report.Number(WarmupActivations)} warm-up activations made before the baseline; activations counted by "
                + "IManagementGrain.GetTotalActivationCount() before and after",
            $"State alone: {Report.Number(args.Count)} BenchIdleState objects with the same labels, held in an array allocated before the baseline");

        var count = args.Count;
        var stateBytes = MeasureStatesAlone(count);

        await using var cluster = await BenchCluster.StartAsync(args.Settings, connectionString: null);
        await ActivateAsync(cluster.GrainFactory, "warm", WarmupActivations);
        var activationsBefore = await cluster.CountActivationsAsync();
        var before = SettledHeap();
        await ActivateAsync(cluster.GrainFactory, "idle", count);
        var after = SettledHeap();
        var activations = await cluster.CountActivationsAsync() - activationsBefore;

        var perActivation = (double)(after - before) / count;
        var beyondState = perActivation - stateBytes;
        var table = new MarkdownTable("Measure", "Figure", "Target", "Result");
        table.Add("activations made (idle, in memory)", Report.Number(activations), "", "");
        table.Add("heap growth", Report.Bytes(after - before), "", "");
        table.Add("per activation, state included", Report.Decimal(perActivation, 0) + " B", "", "");
        table.Add("state alone (int + 11-char string)", Report.Decimal(stateBytes, 0) + " B", "", "");
        table.Add("**per activation beyond state**", Report.Decimal(beyondState, 0) + " B", $"≤ {Report.Number(TargetBytes)} B",
            beyondState <= TargetBytes
                ? Report.Verdict(true)
                : $"{Report.Verdict(false)} (by {Report.Decimal(beyondState - TargetBytes, 0)} B)");
        table.Print();
    }

    /// <summary>Bytes per state object (with its label string) allocated alone, the same way the grain does.</summary>
    private static double MeasureStatesAlone(int count)
    {
        var states = new BenchIdleState[count];
        var before = SettledHeap();
        for (var i = 0; i < count; i++)
        {
            states[i] = new BenchIdleState { Number = i, Label = BenchIdleState.LabelFor(i) };
        }

        var after = SettledHeap();
        GC.KeepAlive(states);
        return (double)(after - before) / count;
    }

    private static async Task ActivateAsync(IGrainFactory factory, string prefix, int count)
    {
        Report.Progress($"memory: activating {Report.Number(count)} {prefix} grains ...");
        var calls = new List<Task>(CallsInFlight);
        for (var i = 0; i < count; i++)
        {
            calls.Add(factory.GetGrain<IBenchIdleGrain>($"{prefix}-{i:D6}").TouchAsync(i));
            if (calls.Count == CallsInFlight)
            {
                await Task.WhenAll(calls);
                calls.Clear();
            }
        }

        await Task.WhenAll(calls);
    }

    private static long SettledHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
