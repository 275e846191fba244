using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using OzonActors.Bench.Cluster;
using OzonActors.Bench.Live;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// Return requests through the scaled-out shape: for each --silos count, a fresh database, that many <c>Silo</c> processes
/// and two client gateways, and --concurrency drivers taking --requests return requests through their lifecycles over
/// HTTP (order → return → approve → ship → received → refund, and some order → return → offer → accept), each call sent
/// to the two gateways alternately. Judged: status changes per second (and per core of the machine), the latency of each
/// HTTP call, and the answers that were not 2xx; next to the CPU each kind of process spent per status change. Set
/// against <c>returns</c> (grain calls inside one silo), it shows what the HTTP hop through a client gateway and the
/// calls between silos cost.
/// </summary>
internal static class ClusterReturnsScenario
{
    private const int Gateways = 2;
    private const int DefaultRequests = 2_000;
    private const int DefaultConcurrency = 32;
    private const int Customers = 16;
    private const int Sellers = 8;

    /// <summary>Seller-processed (above 1,800 RUB), so a request starts in New and the seller decides.</summary>
    private const decimal Price = 5_000m;

    /// <summary>Every fifth request takes the compensation path.</summary>
    private const int CompensationEvery = 5;

    private static readonly Step[] Refund =
    [
        new("approve", Seller: true, "approve", null, "Approved"),
        new("ship", Seller: false, "ship", new { trackingNumber = "RB123456785RU" }, "ReturnOnTheWay"),
        new("received", Seller: true, "received", null, "ReceivedBySeller"),
        new("refund", Seller: true, "refund", null, "Refund"),
    ];

    private static readonly Step[] Compensation =
    [
        new("offer-compensation", Seller: true, "offer-compensation", new { amount = 1_000m }, "PartialCompensationOffered"),
        new("accept-compensation", Seller: false, "accept-compensation", null, "PartialCompensationApproved"),
    ];

    public static async Task RunAsync(BenchArgs args)
    {
        var requests = args.IsGiven("--requests") ? args.Requests : DefaultRequests;
        IReadOnlyList<int> concurrency = args.IsGiven("--concurrency") ? args.Concurrency : [DefaultConcurrency];
        Report.Header("cluster-returns: return request lifecycles over HTTP through client gateways and silo processes", args);
        Report.Facts(
            $"Processes per case: PostgreSQL (a fresh database), N Silo processes and {Gateways} client gateways (Gateway:Silo = Client), "
                + $"built in {ProjectBuild.Configuration} (dotnet build -c {ProjectBuild.Configuration} Silo/Silo.csproj and Gateway/Gateway.csproj "
                + "run first); the bench process is the HTTP client. All of them share the machine",
            $"Setup (not measured): {Customers} customers logged in by phone and {Sellers} sellers signed up through the API",
            $"Load: per case {Report.Number(requests)} return requests, each on its own delivered order, taken by D concurrent drivers "
                + $"(closed loop); {CompensationEvery - 1} in {CompensationEvery}: POST /api/internal/orders → POST /api/returns → approve → "
                + $"ship → received → refund (6 calls, 5 status changes), the others: order → return → offer-compensation → "
                + "accept-compensation (4 calls, 3 status changes); call k of request i goes to gateway (i + k) mod 2; a failed call ends its lifecycle",
            $"Warm-up: lifecycles driven for {Report.Seconds(args.Warmup)} s before each measured case, not counted (fresh processes tier up their JIT)",
            "Status changes: 2xx answers that created or moved a request, in the status expected; over the window from the first "
                + "call to the last answer. Latency: per HTTP call, from sending to the whole answer read",
            "CPU per status change: user + system CPU of the processes over the window (/proc), ÷ status changes");

        await ProjectBuild.BuildAsync("cluster-returns", "Silo", "Gateway");
        var summary = new MarkdownTable(
            "Silos", "Drivers", "Requests done", "Status changes", "Window", "**Status changes/s**", "per core", "HTTP calls/s",
            "Call p50", "Call p99", "Not 2xx", "CPU ms per status change: gateways / silos / PostgreSQL / bench", "Machine busy");
        var calls = new MarkdownTable("Silos", "Drivers", "Call", "Count", "p50", "p99", "max", "Not 2xx");
        foreach (var silos in args.Silos)
        {
            await BenchCluster.WithDatabaseAsync(async connectionString =>
            {
                var settings = ScaledOutCluster.CommonSettings(connectionString, args.Settings);
                await using var cluster = await ScaledOutCluster.StartAsync("cluster-returns", connectionString, silos, Gateways, settings);
                var clients = cluster.Gateways.Select(g => BenchApi.Client(g.BaseAddress)).ToArray();
                try
                {
                    Report.Progress($"cluster-returns: {silos} silo(s): logging customers and sellers in ...");
                    var parties = new Parties(
                        await BenchApi.LoginCustomersAsync(clients[0], Customers), await LiveSellers.CreateAsync(clients[1], Sellers));
                    foreach (var drivers in concurrency)
                    {
                        Report.Progress($"cluster-returns: {silos} silo(s), {drivers} drivers: warming up for {Report.Seconds(args.Warmup)} s ...");
                        var warmupEnds = Stopwatch.GetTimestamp() + (long)(args.Warmup.TotalSeconds * Stopwatch.Frequency);
                        await DriveAsync(clients, parties, drivers, _ => Stopwatch.GetTimestamp() < warmupEnds, $"{silos}-{drivers}-warmup");

                        Report.Progress($"cluster-returns: {silos} silo(s), {drivers} drivers: {Report.Number(requests)} requests ...");
                        var usage = await ProcessUsage.StartAsync(cluster.DataSource);
                        var usageStarted = Stopwatch.GetTimestamp();
                        var (siloCpu, gatewayCpu) = cluster.CpuSeconds();
                        var drive = await DriveAsync(clients, parties, drivers, i => i < requests, $"{silos}-{drivers}");
                        var (siloCpuAfter, gatewayCpuAfter) = cluster.CpuSeconds();
                        var spent = usage.Spent();
                        var busy = spent.Machine / (Stopwatch.GetElapsedTime(usageStarted).TotalSeconds * Environment.ProcessorCount);
                        Report.Facts($"{silos} silo(s), {drivers} drivers: {usage.Describe()}");
                        Add(summary, calls, silos, drivers, drive,
                            (gatewayCpuAfter - gatewayCpu, siloCpuAfter - siloCpu, spent.Postgres, spent.Bench), busy);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    await Console.Error.WriteLineAsync($"cluster-returns: the processes' last output:\n{cluster.Describe()}");
                    throw;
                }
                finally
                {
                    foreach (var client in clients)
                    {
                        client.Dispose();
                    }
                }
            });
        }

        summary.Print();
        calls.Print();
    }

    /// <summary>
    /// <paramref name="drivers"/> closed-loop drivers, each taking the next request index while <paramref name="more"/> says
    /// so and driving its lifecycle; every call is timed into its kind's histogram.
    /// </summary>
    private static async Task<DriveResult> DriveAsync(HttpClient[] gateways, Parties parties, int drivers, Func<int, bool> more, string run)
    {
        var result = new DriveResult();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, drivers).Select(_ => Task.Run(async () =>
        {
            int i;
            while (more(i = Interlocked.Increment(ref next)))
            {
                if (await DriveOneAsync(gateways, parties, i, $"cluster-{run}-{i}", result))
                {
                    Interlocked.Increment(ref result.Completed);
                }
            }
        })));
        result.Window = Stopwatch.GetElapsedTime(started);
        return result;
    }

    /// <summary>One request's lifecycle; false when a call failed (the failure is counted and the lifecycle ends).</summary>
    private static async Task<bool> DriveOneAsync(HttpClient[] gateways, Parties parties, int index, string orderId, DriveResult result)
    {
        var customer = parties.Customers[index % parties.Customers.Count];
        var seller = parties.Sellers[index % parties.Sellers.Count];
        var call = 0;
        HttpClient Next() => gateways[(index + call++) % gateways.Length];

        if (!await CallAsync(result, "order", null, () => BenchApi.RecordOrderAsync(Next(), BenchApi.Order(orderId, customer.OzonId, seller.CompanyId, Price))))
        {
            return false;
        }

        var created = await TimeAsync(result, "return", () =>
            BenchApi.SendAsync(Next(), HttpMethod.Post, "/api/returns", customer.AccessToken, BenchApi.Return(orderId)));
        if (!Counted(result, "return", "New", created))
        {
            return false;
        }

        var id = created!.Value.Body!["id"]!.GetValue<Guid>();
        foreach (var step in index % CompensationEvery == CompensationEvery - 1 ? Compensation : Refund)
        {
            var token = step.Seller ? seller.AccessToken : customer.AccessToken;
            if (!await CallAsync(result, step.Name, step.Expected, () =>
                BenchApi.SendAsync(Next(), HttpMethod.Post, $"/api/returns/{id}/{step.Path}", token, step.Body ?? new { })))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<bool> CallAsync(DriveResult result, string name, string? expected, Func<Task<ApiAnswer>> send) =>
        Counted(result, name, expected, await TimeAsync(result, name, send));

    /// <summary>Sends and times one call; a transport failure is counted by its exception and answers null.</summary>
    private static async Task<ApiAnswer?> TimeAsync(DriveResult result, string name, Func<Task<ApiAnswer>> send)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var answer = await send();
            var nanoseconds = TimedRun.Nanoseconds(Stopwatch.GetTimestamp() - start);
            result.Latency.GetOrAdd(name, _ => new LatencyHistogram()).RecordConcurrent(nanoseconds);
            result.All.RecordConcurrent(nanoseconds);
            Interlocked.Increment(ref result.Calls);
            return answer;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            result.NotOk.AddOrUpdate((name, exception.GetType().Name), 1, (_, n) => n + 1);
            return null;
        }
    }

    /// <summary>Counts a 2xx answer in the expected status as a status change (an order is none); anything else as not 2xx.</summary>
    private static bool Counted(DriveResult result, string name, string? expected, ApiAnswer? answer)
    {
        if (answer is not { } got)
        {
            return false;
        }

        if (!got.IsSuccess)
        {
            result.NotOk.AddOrUpdate((name, ((int)got.Status).ToString(CultureInfo.InvariantCulture)), 1, (_, n) => n + 1);
            return false;
        }

        if (expected is null)
        {
            return true;
        }

        var status = got.Body?["status"]?.GetValue<string>();
        if (status != expected)
        {
            result.NotOk.AddOrUpdate((name, $"2xx in {status}"), 1, (_, n) => n + 1);
            return false;
        }

        Interlocked.Increment(ref result.StatusChanges);
        return true;
    }

    private static void Add(
        MarkdownTable summary, MarkdownTable calls, int silos, int drivers, DriveResult drive,
        (double Gateways, double Silos, double Postgres, double Bench) cpu, double busy)
    {
        var seconds = drive.Window.TotalSeconds;
        var rate = drive.StatusChanges / seconds;
        string PerChange(double cpuSeconds) => drive.StatusChanges == 0 ? "—" : Report.Decimal(1000 * cpuSeconds / drive.StatusChanges, 2);
        summary.Add(
            silos.ToString(CultureInfo.InvariantCulture), drivers.ToString(CultureInfo.InvariantCulture), Report.Number(drive.Completed),
            Report.Number(drive.StatusChanges), $"{Report.Decimal(seconds, 1)} s", $"**{Report.Number(rate)}**",
            Report.Number(rate / Environment.ProcessorCount), Report.Number(drive.Calls / seconds),
            Report.Duration(drive.All.Percentile(0.5)), Report.Duration(drive.All.Percentile(0.99)), NotOk(drive.NotOk),
            $"{PerChange(cpu.Gateways)} / {PerChange(cpu.Silos)} / {PerChange(cpu.Postgres)} / {PerChange(cpu.Bench)}",
            $"{Report.Decimal(100 * Math.Min(busy, 1), 0)} %");
        foreach (var name in (string[])["order", "return", .. Refund.Select(s => s.Name), .. Compensation.Select(s => s.Name)])
        {
            if (drive.Latency.TryGetValue(name, out var latency))
            {
                calls.Add(
                    silos.ToString(CultureInfo.InvariantCulture), drivers.ToString(CultureInfo.InvariantCulture), name,
                    Report.Number(latency.Count), Report.Duration(latency.Percentile(0.5)), Report.Duration(latency.Percentile(0.99)),
                    Report.Duration(latency.Max()), NotOk(drive.NotOk.Where(f => f.Key.Call == name)));
            }
        }
    }

    /// <summary>"0", or the answers by status code (or exception), e.g. "503 × 3, 409 × 1".</summary>
    private static string NotOk(IEnumerable<KeyValuePair<(string Call, string Answer), int>> failures)
    {
        var groups = failures.GroupBy(f => f.Key.Answer, StringComparer.Ordinal)
            .Select(g => (Answer: g.Key, Count: g.Sum(f => f.Value))).OrderByDescending(g => g.Count).ToList();
        return groups.Count == 0 ? "0" : string.Join(", ", groups.Select(g => $"{g.Answer} × {Report.Number(g.Count)}"));
    }

    /// <summary>One action of a lifecycle: who takes it (the seller, or the customer), its path and body, and the status it leads to.</summary>
    private sealed record Step(string Name, bool Seller, string Path, object? Body, string Expected);

    private sealed record Parties(IReadOnlyList<ApiCustomer> Customers, IReadOnlyList<LiveSeller> Sellers);

    /// <summary>What a drive measured; the counters are incremented by every driver.</summary>
    private sealed class DriveResult
    {
        public long Completed;
        public long StatusChanges;
        public long Calls;

        public TimeSpan Window { get; set; }

        public LatencyHistogram All { get; } = new();

        public ConcurrentDictionary<string, LatencyHistogram> Latency { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<(string Call, string Answer), int> NotOk { get; } = new();
    }
}
