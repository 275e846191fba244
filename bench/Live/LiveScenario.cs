using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Bench.Cluster;
using OzonActors.Persistence.Events;
using OzonActors.Testing;

namespace OzonActors.Bench.Live;

/// <summary>
/// Live push end to end: one gateway process on PostgreSQL with N real SignalR clients (Node), events committed by
/// grains of an Orleans silo in the bench process (a cluster of its own, so the gateway's co-hosted silo never places its
/// grains there) on the same database, as another silo would, commit → receipt latency at a target
/// rate and stepping up; and the gateway's resident memory per idle authenticated connection. With <c>--gateways 2</c>,
/// across gateways: two client gateways in front of <c>Silo</c> processes, the events written over HTTP through the first
/// (real ones: invitations, each an InvitationCreated event to the company's sellers) and pushed by the second, which the
/// clients are connected to; the same figures.
/// </summary>
internal static class LiveScenario
{
    private const double TargetP99Ms = 50;
    private const double CeilingP99Ms = 100;
    private const double TargetBytesPerConnection = 40 * 1024;
    private const int WarmupConnections = 100;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstWarmup = TimeSpan.FromSeconds(10);

    /// <summary>Entry from <c>bench/Program.cs</c>: the arguments after <c>live</c>.</summary>
    public static async Task<int> MainAsync(IReadOnlyList<string> args)
    {
        LiveOptions options;
        try
        {
            options = LiveOptions.Parse(args);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(LiveOptions.Usage);
            return 2;
        }

        try
        {
            await RunAsync(options);
            return 0;
        }
        catch (Exception exception)
        {
            // Returning (instead of crashing) lets the exit handlers stop the throwaway PostgreSQL server.
            await Console.Error.WriteLineAsync($"live failed: {exception}");
            return 1;
        }
    }

    public static async Task RunAsync(LiveOptions options)
    {
        Header(options);
        if (options.AcrossGateways)
        {
            await RunAcrossGatewaysAsync(options);
            return;
        }

        var configuration = await BuildGatewayAsync();
        await BenchCluster.WithDatabaseAsync(async connectionString =>
        {
            Report.Progress($"live: starting a {configuration} gateway ...");
            await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = connectionString,
                ["OzonId:MaxSendsPerAddressPerHour"] = "1000000",
                ["OzonId:PhoneCodeInterval"] = "00:00:00",
                ["Gateway:Jwt:AccessTokenLifetime"] = "01:00:00",
            });
            var pid = GatewayMemory.FindProcess(gateway.BaseAddress);

            Report.Progress($"live: signing up {options.Companies} sellers through the API ...");
            using var http = gateway.CreateClient();
            var sellers = await LiveSellers.CreateAsync(http, options.Companies);

            // A silo of its own cluster (its own cluster and service ids) on the gateway's database: its grains commit to the
            // same event log, and the gateway's silo never places a grain of its own here.
            await using var runtime = await BenchCluster.StartAsync(new Dictionary<string, string?>(), connectionString);
            await using var clients = await NodeClients.StartAsync(new Uri(gateway.BaseAddress, "hubs/events"), sellers.Select(s => s.AccessToken));

            var memory = await MeasureMemoryAsync(clients, pid, options);
            var grains = sellers.Select(s => runtime.GrainFactory.GetGrain<IBenchLiveGrain>(s.CompanyId.ToString())).ToArray();
            var receiversPerCompany = Enumerable.Range(0, sellers.Count)
                .Select(c => Enumerable.Range(0, options.Clients).Count(i => i % sellers.Count == c)).ToArray();
            var feed = runtime.Services.GetRequiredService<OzonActors.Persistence.Events.EventFeed>();
            await using var probe = new LogProbe(feed, await feed.GetHeadAsync(default));
            var steps = await MeasureLatencyAsync(
                clients, probe, sequence => grains[sequence % grains.Length].EmitAsync(sequence), grains.Length, receiversPerCompany, options);
            Print(options, memory, steps);
        });
    }

    /// <summary>
    /// <c>--gateways 2</c>: PostgreSQL, <see cref="LiveOptions.Silos"/> Silo processes and two client gateways. Sellers sign up
    /// and every event is written through the first (the writer); the Node clients connect to the second (the listener),
    /// which learns of the events from the log (LISTEN/NOTIFY) like any gateway. An event is an invitation:
    /// <c>POST /api/companies/{id}/invitations</c> with the company director's token commits one InvitationCreated event to
    /// <c>seller:{id}</c>, stamped (its <c>at</c>) by the company grain just before its write. The log probe follows the log
    /// in the bench process (an Orleans client host's event feed).
    /// </summary>
    private static async Task RunAcrossGatewaysAsync(LiveOptions options)
    {
        await ProjectBuild.BuildAsync("live", "Silo", "Gateway");
        await BenchCluster.WithDatabaseAsync(async connectionString =>
        {
            var settings = ScaledOutCluster.CommonSettings(connectionString, []);
            await using var cluster = await ScaledOutCluster.StartAsync("live", connectionString, options.Silos, 2, settings);
            var (writer, listener) = (cluster.Gateways[0], cluster.Gateways[1]);
            var pid = GatewayMemory.FindProcess(listener.BaseAddress);
            using var http = BenchApi.Client(writer.BaseAddress);

            Report.Progress($"live: signing up {options.Companies} sellers through the writer gateway's API ...");
            var sellers = await LiveSellers.CreateAsync(http, options.Companies);
            await using var bench = await BenchClusterClient.ConnectAsync(settings);
            var shim = new Uri(Path.Combine(NodeClients.RepositoryRoot, "bench", "Live", "event-at.mjs")).AbsoluteUri;
            await using var clients = await NodeClients.StartAsync(
                new Uri(listener.BaseAddress, "hubs/events"), sellers.Select(s => s.AccessToken), ["--import", shim]);

            var memory = await MeasureMemoryAsync(clients, pid, options);
            var receiversPerCompany = Enumerable.Range(0, sellers.Count)
                .Select(c => Enumerable.Range(0, options.Clients).Count(i => i % sellers.Count == c)).ToArray();
            var feed = bench.Services.GetRequiredService<EventFeed>();
            await using var probe = new LogProbe(feed, await feed.GetHeadAsync(default), InvitationStamp);
            var steps = await MeasureLatencyAsync(
                clients, probe, sequence => InviteAsync(http, sellers[(int)(sequence % sellers.Count)], sequence), sellers.Count,
                receiversPerCompany, options);
            Print(options, memory, steps);
        });
    }

    /// <summary>One event through the writer gateway: an invitation to a new address, by the company's director.</summary>
    private static async Task InviteAsync(HttpClient writer, LiveSeller seller, long sequence)
    {
        var answer = await BenchApi.SendAsync(writer, HttpMethod.Post, $"/api/companies/{seller.CompanyId}/invitations", seller.AccessToken,
            new { email = $"live-{sequence}@example.com", role = "Employee" });
        if (answer.Status != HttpStatusCode.Created)
        {
            throw new HttpRequestException($"POST invitations answered {(int)answer.Status}: {answer.Body?.ToJsonString()}");
        }
    }

    private static double? InvitationStamp(EventEnvelope envelope) =>
        envelope.Type == LiveEventTypes.InvitationCreated ? (envelope.At - DateTimeOffset.UnixEpoch).TotalMilliseconds : null;

    private static async Task<(long Before, long After, double PerConnection)> MeasureMemoryAsync(NodeClients clients, int pid, LiveOptions options)
    {
        // Warm Kestrel, SignalR and the auth pipeline first, so the baseline is a process that has served connections.
        Report.Progress($"live: {WarmupConnections} warm-up connections ...");
        await clients.SendAsync($"connect {WarmupConnections}");
        await clients.SendAsync("close");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = GatewayMemory.ResidentBytes(pid);

        Report.Progress($"live: connecting {options.Clients} clients ...");
        var connected = await clients.SendAsync($"connect {options.Clients}");
        Report.Progress($"live: {options.Clients} clients connected and resumed in {connected["ms"]!.GetValue<double>():F0} ms; idle for {options.Settle.TotalSeconds} s ...");
        await Task.Delay(options.Settle);
        var after = GatewayMemory.ResidentBytes(pid);
        return (before, after, (double)(after - before) / options.Clients);
    }

    /// <summary>Steps up the rates; event k is <c>emit(k)</c> and reaches the clients of company k mod <paramref name="companies"/>.</summary>
    private static async Task<List<LiveStep>> MeasureLatencyAsync(
        NodeClients clients, LogProbe probe, Func<long, Task> emit, int companies, int[] receiversPerCompany, LiveOptions options)
    {
        var steps = new List<LiveStep>();
        long sequence = 0;
        long expectedReceipts = 0;
        foreach (var rate in options.Rates)
        {
            // A freshly started gateway is still tiering up its hot path; production ones are warm.
            var warmup = steps.Count == 0 ? Max(options.Warmup, FirstWarmup) : options.Warmup;
            Report.Progress($"live: {rate} events/s for {warmup.TotalSeconds} + {options.Duration.TotalSeconds} s ...");
            var paced = await EventPacer.RunAsync(emit, rate, warmup, options.Duration, sequence,
                () =>
                {
                    probe.Reset();
                    return clients.SendAsync("reset");
                });
            for (var s = sequence; s < sequence + paced.Emitted; s++)
            {
                expectedReceipts += receiversPerCompany[s % companies];
            }

            sequence += paced.Emitted;
            var drained = await clients.SendAsync($"drain {expectedReceipts} {(long)DrainTimeout.TotalMilliseconds}");
            var report = await clients.SendAsync("report");
            var step = new LiveStep(rate, paced, Ms(report, "p50"), Ms(report, "p90"), Ms(report, "p99"), Ms(report, "max"),
                report["count"]!.GetValue<long>(), expectedReceipts - drained["total"]!.GetValue<long>(), probe.Percentile(0.99),
                Ms(report, "gcMaxMs"), Ms(report, "lagP99Ms"));
            steps.Add(step);
            Report.Progress($"live: {rate}/s → committed {step.Paced.CommittedPerSecond:F0}/s, p50 {step.P50:F1} ms, p99 {step.P99:F1} ms (log alone {step.LogP99:F1} ms), missing {step.Missing}, "
                + $"client GC max {step.ClientGcMax:F1} ms, client loop lag p99 {step.ClientLagP99:F1} ms");
            if (!step.Healthy)
            {
                break;
            }
        }

        return steps;
    }

    private static void Print(LiveOptions options, (long Before, long After, double PerConnection) memory, List<LiveStep> steps)
    {
        var table = new MarkdownTable(
            "Events/s offered", "Committed/s", "Receipts", "p50", "p90", "p99", "max", "Missing", "Log alone p99", "Client stall max",
            "Target", "Result");
        foreach (var step in steps)
        {
            var isTarget = step.Rate == options.Rates[0];
            table.Add(
                Report.Number(step.Rate), Report.Number(step.Paced.CommittedPerSecond), Report.Number(step.Receipts),
                $"{step.P50:F1} ms", $"{step.P90:F1} ms", $"{step.P99:F1} ms", $"{step.Max:F1} ms", Report.Number(step.Missing), $"{step.LogP99:F1} ms",
                $"{Math.Max(step.ClientGcMax, step.ClientLagP99):F1} ms",
                isTarget ? $"p99 < {TargetP99Ms} ms" : $"p99 < {CeilingP99Ms} ms",
                isTarget ? Report.Verdict(step.P99 < TargetP99Ms && step.Missing == 0) : Report.Verdict(step.Healthy));
        }

        table.Print();
        var passing = steps.Where(s => s.Healthy).ToList();
        var highest = passing.Count == 0 ? "none of the rates tried"
            : passing.Count == steps.Count && steps.Count == options.Rates.Count
                ? $"≥ {Report.Number(passing[^1].Rate)} events/s (the highest rate tried)"
                : $"{Report.Number(passing[^1].Rate)} events/s (next step: {Report.Number(steps[^1].Rate)}/s, p99 {steps[^1].P99:F1} ms)";

        var summary = new MarkdownTable("Measure", "Figure", "Target", "Result");
        summary.Add($"p99 commit → receipt at {Report.Number(options.Rates[0])} events/s", $"{steps[0].P99:F1} ms", $"< {TargetP99Ms} ms",
            Report.Verdict(steps[0].P99 < TargetP99Ms && steps[0].Missing == 0));
        summary.Add($"highest rate with p99 < {CeilingP99Ms} ms", highest, "", "");
        summary.Add("gateway RSS, baseline → with idle clients", $"{Report.Bytes(memory.Before)} → {Report.Bytes(memory.After)}", "", "");
        summary.Add("**memory per idle authenticated connection**", Report.Bytes(memory.PerConnection), $"≤ {Report.Bytes(TargetBytesPerConnection)}",
            Report.Verdict(memory.PerConnection <= TargetBytesPerConnection));
        summary.Print();
    }

    private static void Header(LiveOptions options)
    {
        var across = options.AcrossGateways;
        Console.WriteLine();
        Console.WriteLine(across
            ? "## live --gateways 2: commit → client receipt latency across client gateways, and memory per connection"
            : "## live: commit → client receipt latency, and memory per connection");
        Console.WriteLine();
        Console.WriteLine("```");
        Console.WriteLine($"$ {options.CommandLine}");
        Console.WriteLine("```");
        Console.WriteLine();
        Report.Facts(
            $"Machine: {Environment.ProcessorCount} cores, {Report.Bytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)} memory, "
                + $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, run at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; "
                + (across
                    ? $"PostgreSQL, {options.Silos} Silo processes, 2 client gateways (Gateway:Silo = Client), the bench (the HTTP writer) and the "
                        + $"Node clients all share it (loopback); processes built in {ProjectBuild.Configuration} first"
                    : "gateway, PostgreSQL, the committing silo and the Node clients all share it (loopback)"),
            $"Clients: {Report.Number(options.Clients)} connections of @microsoft/signalr {SignalRClientVersion()} (WebSockets, JSON) from one Node "
                + $"{NodeVersion()} process, {options.PerCompany} per seller company ({Report.Number(options.Companies)} companies, signed up and "
                + "logged in through the public API); each connects, calls Resume(null), then stays"
                + (across ? "; all connected to the second gateway (the listener)" : ""),
            across
                ? "Events: written through the first client gateway (the writer) over HTTP, one POST /api/companies/{company}/invitations per event "
                    + "with the director's token, companies in turn, open loop at the offered rate; the company grain (on a silo process) "
                    + "commits one InvitationCreated event to seller:{company}; the listener gateway learns of it by LISTEN/NOTIFY. The clients "
                    + "are tests/node/bench-clients.mjs with bench/Live/event-at.mjs preloaded, which gives each event the sentAt the script "
                    + "measures from: the event's own stamp (at)"
                : "Events: an Orleans silo in the bench process (a cluster of its own) on the same database, like another silo, commits one event per grain call "
                    + "to seller:{company}, companies in turn, open loop at the offered rate; the gateway learns of them by LISTEN/NOTIFY",
            "Latency: from the wall clock the grain stamps into the event just before its WriteStateAsync, to the Node client's "
                + $"receipt; every receipt counts ({options.PerCompany} per event); {Max(options.Warmup, FirstWarmup).TotalSeconds} s warm-up "
                + $"before the first rate (the fresh gateway tiers up its JIT), {options.Warmup.TotalSeconds} s before the others, then "
                + $"{options.Duration.TotalSeconds} s measured per rate; stepping up stops at the first rate with p99 ≥ {CeilingP99Ms} ms or a missing receipt. "
                + (across
                    ? "'Log alone': the same stamp to the moment a feed in the bench process could read the event (commit plus waiting "
                    : "'Log alone': the same stamp to the moment a feed in the committing process could read the event (commit plus waiting ")
                + "behind older open transactions), without NOTIFY, gateway or SignalR. 'Client stall max': the longest Node GC pause "
                + "or the p99 event-loop delay in the window, whichever is larger; it delays receipts and so inflates the figures",
            $"Memory: {(across ? "the listener gateway's" : "gateway")} VmRSS after {WarmupConnections} warm-up connections were opened and closed, then with the clients connected "
                + $"and idle for {options.Settle.TotalSeconds} s; the difference ÷ clients (server GC, as deployed). An upper bound that "
                + "includes garbage not collected yet; the heap grows in steps, so it means something from about 1,000 clients up");
    }

    /// <summary>Builds the gateway in this bench's configuration, so the process measured is the current code.</summary>
    private static async Task<string> BuildGatewayAsync()
    {
        await ProjectBuild.BuildAsync("live", "Gateway");
        return ProjectBuild.Configuration;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static double Ms(JsonObject report, string name) => report[name]!.GetValue<double>();

    private static string SignalRClientVersion()
    {
        var package = Path.Combine(NodeClients.Directory, "node_modules", "@microsoft", "signalr", "package.json");
        return File.Exists(package) ? JsonNode.Parse(File.ReadAllText(package))?["version"]?.GetValue<string>() ?? "?" : "?";
    }

    private static string NodeVersion()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", ["--version"]) { RedirectStandardOutput = true });
            var version = node?.StandardOutput.ReadToEnd().Trim();
            node?.WaitForExit();
            return version ?? "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "(not found)";
        }
    }
}

/// <summary>One rate's figures (latencies in ms).</summary>
internal sealed record LiveStep(
    int Rate, PacedRun Paced, double P50, double P90, double P99, double Max, long Receipts, long Missing, double LogP99,
    double ClientGcMax, double ClientLagP99)
{
    private const double CeilingP99Ms = 100;

    /// <summary>Under the ceiling, nothing lost, and the runtime kept up with the offered rate.</summary>
    public bool Healthy => P99 < CeilingP99Ms && Missing == 0 && Paced.CommittedPerSecond >= Rate * 0.95;
}
