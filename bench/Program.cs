using OzonActors.Bench.Scenarios;

namespace OzonActors.Bench;

/// <summary>
/// The benchmark harness: <c>dotnet run -c Release --project bench -- &lt;scenario&gt; [options]</c>. Every scenario prints
/// the command line and the machine, then a markdown table of figures with their targets. Nothing is asserted.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Func<BenchArgs, Task>> Scenarios = new(StringComparer.Ordinal)
    {
        ["calls"] = CallsScenario.RunAsync,
        ["writes"] = WritesScenario.RunAsync,
        ["reminders"] = RemindersScenario.RunAsync,
        ["memory"] = MemoryScenario.RunAsync,
        ["returns"] = ReturnsScenario.RunAsync,
        ["star-products"] = StarProductsScenario.RunAsync,
        ["referral"] = ReferralScenario.RunAsync,
        ["failover"] = FailoverScenario.RunAsync,
        ["cluster-returns"] = ClusterReturnsScenario.RunAsync,
    };

    /// <summary>Scenarios that start Silo and Gateway processes and take minutes: run by name only, not by "all".</summary>
    private static readonly HashSet<string> ByNameOnly = new(StringComparer.Ordinal) { "failover", "cluster-returns" };

    public static async Task<int> Main(string[] args)
    {
        // "live" drives a gateway process and Node clients with options of its own (see bench/Live/LiveOptions.cs),
        // so it parses its arguments itself and is not part of "all".
        if (args is ["live", .. var liveArgs])
        {
            return await Live.LiveScenario.MainAsync(liveArgs);
        }

        BenchArgs parsed;
        try
        {
            parsed = BenchArgs.Parse(args);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(BenchArgs.Usage);
            return 2;
        }

        var names = parsed.Scenario == "all" ? Scenarios.Keys.Where(name => !ByNameOnly.Contains(name)).ToArray() : [parsed.Scenario];
        var failed = 0;
        foreach (var name in names)
        {
            try
            {
                await Scenarios[name](parsed);
            }
            catch (Exception exception) when (names.Length > 1 || ByNameOnly.Contains(name))
            {
                // With "all", one broken scenario must not hide the others' figures. A scenario with processes returns
                // (instead of crashing) so that the exit handlers stop the throwaway PostgreSQL server.
                await Console.Error.WriteLineAsync($"Scenario '{name}' failed: {exception}");
                failed++;
            }
        }

        return failed == 0 ? 0 : 1;
    }
}
