using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OzonActors.Grains;
using OzonActors.Grains.StarProducts;
using OzonActors.Persistence;
using OzonActors.StarProducts;
using OzonActors.Testing;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// Star Products traffic on PostgreSQL: --sellers sellers connected 91 days ago (a <see cref="ShiftedClock"/> set
/// back, then moved to the present), then --views product page views and --orders orders whose instants cover the
/// last 90 Moscow days, ingested as the gateway ingests them. Judged: views ingested per second, and the size of one
/// seller's state after that traffic. The grain's 90-day analytics are compared with the exact figures of the
/// generated traffic, to show the sketches' error.
/// </summary>
/// <remarks>
/// Orleans' reminder service runs on the shifted clock too (BenchCluster gives it the grains' clock), but a running one
/// schedules each reminder as a timer of the real time left until it: a reminder registered 91 shifted days ago for a
/// deadline 30 days later still waits 30 real days after the jump. So after the jump the bench handles what fell due
/// by ticking every reminder in Orleans' table (tests/Testing's <c>FireDueRemindersAsync</c>: a grain ignores
/// a tick for a deadline not yet due), pass after pass until nothing changes; the deadlines left due are counted in
/// <c>grain_state.deadlines</c>, where the facet keeps them.
/// </remarks>
internal static class StarProductsScenario
{
    private const double TargetViewsPerSecond = 10_000;
    private const int TargetStateBytes = 64 * 1024;

    private const int ProductsPerSeller = 10;
    private const int ViewsPerCustomer = 5;
    private const double SecondLineShare = 0.3;
    private const int SetupCallers = 64;
    private const int WarmupActivations = 100;
    private const int ProgressSeconds = 5;
    private const int Seed = 90;

    private static readonly TimeSpan ConnectedBefore = TimeSpan.FromDays(91);

    private static readonly string LoyaltyGrainType = BenchCluster.StateName(typeof(SellerLoyaltyGrain));

    public static async Task RunAsync(BenchArgs args)
    {
        Report.Header("star-products: program views and orders ingested on PostgreSQL, and a seller's state after 90 days", args);
        var chunk = Math.Min(args.Chunk, args.Views);
        Report.Facts(
            "Runtime: an Orleans 10 silo in the bench process on PostgreSQL (UseOzonClustering + AddOzonGrains, StarProducts options bound "
                + "from the settings); the clock is the system clock shifted by an offset (bench/ShiftedClock.cs), which runs at real speed",
            $"Setup (not measured): the clock is set {Report.Number(ConnectedBefore.TotalDays)} days back; {Report.Number(args.Sellers)} sellers "
                + $"get {ProductsPerSeller} products each (IStarProductGrain.SetAsync, the first one moderated) and connect "
                + "(ConnectAsync(StarActor.System)); then the clock is moved to the present and the deadlines that fell due meanwhile "
                + "(trial end, certificate) are handled before ingesting: the running reminder service scheduled them as timers of the real "
                + "time left, which the jump does not shorten, so the bench ticks every reminder in Orleans' table until nothing changes "
                + "(tests/Testing FireDueRemindersAsync)",
            $"Traffic: {Report.Number(args.Views)} views in time order, instants spread evenly over the last 90 Moscow days (the first "
                + "one's midnight → one minute ago), each on a uniformly random product (so seller) and a uniformly random customer of "
                + $"{Report.Number(CustomerCount(args))} ({ViewsPerCustomer} views per customer); {Report.Number(args.Orders)} orders, each by the "
                + $"customer of a random view, on that product (1–2 units, {Report.Decimal(100 * SecondLineShare, 0)} % with a second product "
                + "of the seller), up to 3 h after the view, in time order",
            $"Views: the stream is taken {Report.Number(chunk)} views at a time, as one POST /api/internal/star-products/views would carry "
                + "them; each batch is handled like the gateway handles it: the seller of each distinct product is looked up "
                + "(IStarProductGrain.GetSellerAsync, all at once), the views are grouped by seller and every seller gets one "
                + $"RecordViewsAsync call (one write), all of the batch's calls at once; {args.ChunksInFlight} batches in flight",
            $"Orders: RecordOrderAsync per order (one write with the order's operation key), {args.Callers} concurrent callers",
            "Views/s and orders/s: what was ingested ÷ the wall time of its phase");

        var clock = new ShiftedClock();
        var ingest = new MarkdownTable("Measure", "Figure", "Target", "Result");
        var state = new MarkdownTable("Per-seller state", "Median", "Max", "Target", "Result");
        var accuracy = new MarkdownTable("90-day analytics", "Grain", "Truth", "Error", "All sellers: median / max |error|");
        await BenchCluster.WithDatabaseAsync(async connectionString =>
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var sellers = Enumerable.Range(0, args.Sellers).Select(_ => Guid.NewGuid()).ToArray();
            var products = Enumerable.Range(0, args.Sellers * ProductsPerSeller)
                .Select(p => $"star-{p / ProductsPerSeller:D5}-{p % ProductsPerSeller}").ToArray();
            Traffic traffic;
            StarAnalytics[] analytics;
            string schema;
            clock.Set(DateTimeOffset.UtcNow - ConnectedBefore);
            var serviceId = BenchCluster.NewServiceId();
            await using (var cluster = await BenchCluster.StartAsync(args.Settings, connectionString, clock: clock, serviceId: serviceId))
            {
                schema = BenchCluster.Schema(cluster.Services);
                await SetUpAsync(cluster.GrainFactory, sellers, products, clock);
                clock.Set(DateTimeOffset.UtcNow);
                await DrainDueRemindersAsync(cluster, dataSource, schema, clock);

                Report.Progress("star-products: generating the traffic ...");
                traffic = Traffic.Generate(args, sellers, products, clock.GetUtcNow());
                var views = await IngestViewsAsync(cluster.GrainFactory, dataSource, traffic, chunk, args.ChunksInFlight);
                var orders = await IngestOrdersAsync(cluster.GrainFactory, dataSource, traffic, args.Callers);
                SummarizeIngest(traffic, views, orders, ingest);

                Report.Progress("star-products: reading every seller's 90-day analytics ...");
                analytics = await Task.WhenAll(sellers.Select(s => cluster.GrainFactory.GetGrain<ISellerLoyaltyGrain>(s).GetAnalyticsAsync(90)));
            }

            CompareWithTruth(traffic, analytics, accuracy);
            var sizes = await ReadStateSizesAsync(dataSource, schema);
            var memory = await MeasureActivationsAsync(args, connectionString, clock, serviceId, sellers, dataSource, schema);
            SummarizeState(sizes, memory, state);
        });

        ingest.Print();
        state.Print();
        accuracy.Print();
    }

    private static int CustomerCount(BenchArgs args) => Math.Max(1, args.Views / ViewsPerCustomer);

    /// <summary>Products (the first of each seller moderated) and connections, on the clock set in the past.</summary>
    private static async Task SetUpAsync(IGrainFactory grains, Guid[] sellers, string[] products, ShiftedClock clock)
    {
        Report.Progress($"star-products: setting up {Report.Number(sellers.Length)} sellers at {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC ...");
        var started = Stopwatch.GetTimestamp();
        var connectedAt = clock.GetUtcNow();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, SetupCallers).Select(_ => Task.Run(async () =>
        {
            int s;
            while ((s = Interlocked.Increment(ref next)) < sellers.Length)
            {
                for (var k = 0; k < ProductsPerSeller; k++)
                {
                    await grains.GetGrain<IStarProductGrain>(products[(s * ProductsPerSeller) + k]).SetAsync(sellers[s], moderated: k == 0);
                }

                await grains.GetGrain<ISellerLoyaltyGrain>(sellers[s]).ConnectAsync(StarActor.System);
            }
        })));
        Report.Facts($"Setup: {Report.Number(products.Length)} products and {Report.Number(sellers.Length)} connections in "
            + $"{Report.Decimal(Stopwatch.GetElapsedTime(started).TotalSeconds, 1)} s, from {connectedAt:yyyy-MM-dd HH:mm} UTC on the shifted clock");
    }

    /// <summary>
    /// After the jump to the present, handles every deadline due by now (trial ends, certificates): the running reminder
    /// service would tick them weeks from now, so every reminder in Orleans' table is ticked until a pass changes nothing.
    /// </summary>
    private static async Task DrainDueRemindersAsync(BenchSilo cluster, NpgsqlDataSource dataSource, string schema, ShiftedClock clock)
    {
        var started = Stopwatch.GetTimestamp();
        var due = await CountDueDeadlinesAsync(dataSource, schema, clock.GetUtcNow());
        await cluster.Services.FireDueRemindersAsync();
        var left = await CountDueDeadlinesAsync(dataSource, schema, clock.GetUtcNow());
        Report.Facts($"Clock moved to the present: {Report.Number(due)} deadlines were due (trial ends, certificates); "
            + $"{Report.Number(left)} left after ticking every reminder, {Report.Decimal(Stopwatch.GetElapsedTime(started).TotalSeconds, 1)} s");
    }

    /// <summary>Deadlines due by <paramref name="now"/>, as the facet keeps them: in each grain's <c>grain_state.deadlines</c>.</summary>
    private static async Task<long> CountDueDeadlinesAsync(NpgsqlDataSource dataSource, string schema, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT count(*) FROM \"{schema}\".grain_state g, jsonb_each_text(g.deadlines) d WHERE d.value::timestamptz <= $1");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<ViewsResult> IngestViewsAsync(IGrainFactory grains, NpgsqlDataSource dataSource, Traffic traffic, int chunk, int inFlight)
    {
        var total = traffic.ViewProduct.Length;
        var chunks = (total + chunk - 1) / chunk;
        Report.Progress($"star-products: ingesting {Report.Number(total)} views in {Report.Number(chunks)} batches ...");
        var batchLatency = new LatencyHistogram();
        var callLatency = new LatencyHistogram();
        var next = -1;
        long counted = 0;
        long calls = 0;
        long unknown = 0;
        long lookupTicks = 0;
        long batchTicks = 0;
        var done = 0;
        var quarters = new long[5];
        var quarterCalls = new long[5];
        var quarterCpu = new (double Bench, double Postgres, double Machine)[5];
        var usage = await ProcessUsage.StartAsync(dataSource);
        var started = quarters[0] = Stopwatch.GetTimestamp();
        var running = Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            int c;
            while ((c = Interlocked.Increment(ref next)) < chunks)
            {
                var start = Stopwatch.GetTimestamp();
                var batch = await IngestBatchAsync(grains, traffic, c * chunk, Math.Min(total, (c + 1) * chunk), callLatency);
                batchLatency.RecordConcurrent(TimedRun.Nanoseconds(Stopwatch.GetTimestamp() - start));
                Interlocked.Add(ref batchTicks, Stopwatch.GetTimestamp() - start);
                Interlocked.Add(ref counted, batch.Counted);
                Interlocked.Add(ref calls, batch.Calls);
                Interlocked.Add(ref unknown, batch.Unknown);
                Interlocked.Add(ref lookupTicks, batch.LookupTicks);
                var finished = Interlocked.Increment(ref done);
                for (var q = 1; q <= 4; q++)
                {
                    if (finished == (chunks * q + 3) / 4)
                    {
                        quarters[q] = Stopwatch.GetTimestamp();
                        quarterCalls[q] = Interlocked.Read(ref calls);
                        quarterCpu[q] = usage.Spent();
                    }
                }
            }
        })));
        while (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(ProgressSeconds))) != running)
        {
            var so = Math.Min(total, (long)Volatile.Read(ref done) * chunk);
            Report.Progress($"star-products: {Report.Number(so)} of {Report.Number(total)} views "
                + $"({Report.Number(so / Stopwatch.GetElapsedTime(started).TotalSeconds)}/s)");
        }

        await running;
        var elapsed = Stopwatch.GetElapsedTime(started);
        var quarterRates = Enumerable.Range(1, 4).Select(q =>
        {
            var views = Math.Min(total, (long)((chunks * q + 3) / 4) * chunk) - Math.Min(total, (long)((chunks * (q - 1) + 3) / 4) * chunk);
            var writes = Math.Max(1, quarterCalls[q] - quarterCalls[q - 1]);
            return new QuarterResult(
                quarters[q] > quarters[q - 1] ? views / Stopwatch.GetElapsedTime(quarters[q - 1], quarters[q]).TotalSeconds : 0,
                1000 * (quarterCpu[q].Bench - quarterCpu[q - 1].Bench) / writes,
                1000 * (quarterCpu[q].Postgres - quarterCpu[q - 1].Postgres) / writes,
                1000 * (quarterCpu[q].Machine - quarterCpu[q - 1].Machine) / writes);
        }).ToArray();
        return new ViewsResult(total, chunks, counted, calls, unknown, elapsed, Stopwatch.GetElapsedTime(0, lookupTicks),
            Stopwatch.GetElapsedTime(0, batchTicks), batchLatency, callLatency, quarterRates, usage.Describe());
    }

    /// <summary>One batch as the gateway handles a POST of views: sellers looked up per distinct product, then one call per seller.</summary>
    private static async Task<BatchResult> IngestBatchAsync(IGrainFactory grains, Traffic traffic, int from, int to, LatencyHistogram callLatency)
    {
        var lookupStart = Stopwatch.GetTimestamp();
        // As the gateway does: every distinct product's seller is looked up at once.
        var products = new HashSet<string>(StringComparer.Ordinal);
        for (var i = from; i < to; i++)
        {
            products.Add(traffic.Products[traffic.ViewProduct[i]]);
        }

        var owners = await Task.WhenAll(products.Select(productId => grains.GetGrain<IStarProductGrain>(productId).GetSellerAsync()));
        var sellers = products.Zip(owners).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);

        var lookupTicks = Stopwatch.GetTimestamp() - lookupStart;
        var unknown = 0;
        var bySeller = new Dictionary<Guid, List<StarProductView>>();
        for (var i = from; i < to; i++)
        {
            var productId = traffic.Products[traffic.ViewProduct[i]];
            if (sellers[productId] is not { } seller)
            {
                unknown++;
                continue;
            }

            if (!bySeller.TryGetValue(seller, out var views))
            {
                bySeller[seller] = views = [];
            }

            views.Add(new StarProductView(productId, traffic.Customers[traffic.ViewCustomer[i]], new DateTimeOffset(traffic.ViewTicks[i], TimeSpan.Zero)));
        }

        var counted = await Task.WhenAll(bySeller.Select(async group =>
        {
            var start = Stopwatch.GetTimestamp();
            var count = await grains.GetGrain<ISellerLoyaltyGrain>(group.Key).RecordViewsAsync(group.Value);
            callLatency.RecordConcurrent(TimedRun.Nanoseconds(Stopwatch.GetTimestamp() - start));
            return count;
        }));
        return new BatchResult(counted.Sum(), bySeller.Count, unknown, lookupTicks);
    }

    private static async Task<OrdersResult> IngestOrdersAsync(IGrainFactory grains, NpgsqlDataSource dataSource, Traffic traffic, int callers)
    {
        var orders = traffic.Orders;
        Report.Progress($"star-products: ingesting {Report.Number(orders.Length)} orders ...");
        var latency = new LatencyHistogram();
        var next = -1;
        long inProgram = 0;
        long replays = 0;
        var usage = await ProcessUsage.StartAsync(dataSource);
        var started = Stopwatch.GetTimestamp();
        var running = Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < orders.Length)
            {
                var plan = orders[i];
                var order = new StarOrder($"star-order-{plan.Index:D7}", traffic.Sellers[plan.Seller], traffic.Customers[plan.Customer],
                    new DateTimeOffset(plan.Ticks, TimeSpan.Zero),
                    [.. plan.Lines.Select(l => new StarOrderLine(traffic.Products[l.Product], Traffic.PriceOf(l.Product), l.Quantity))]);
                var start = Stopwatch.GetTimestamp();
                var recorded = await grains.GetGrain<ISellerLoyaltyGrain>(order.SellerId).RecordOrderAsync(order);
                latency.RecordConcurrent(TimedRun.Nanoseconds(Stopwatch.GetTimestamp() - start));
                Interlocked.Add(ref inProgram, recorded.InProgram ? 1 : 0);
                Interlocked.Add(ref replays, recorded.Recorded ? 0 : 1);
            }
        })));
        while (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(ProgressSeconds))) != running)
        {
            var so = Math.Min(orders.Length, Volatile.Read(ref next));
            Report.Progress($"star-products: {Report.Number(so)} of {Report.Number(orders.Length)} orders");
        }

        await running;
        return new OrdersResult(orders.Length, inProgram, replays, Stopwatch.GetElapsedTime(started), latency, usage.Describe());
    }

    private static void SummarizeIngest(Traffic traffic, ViewsResult views, OrdersResult orders, MarkdownTable table)
    {
        var viewsPerSecond = views.Views / views.Elapsed.TotalSeconds;
        var ordersPerSecond = orders.Orders / orders.Elapsed.TotalSeconds;
        var events = views.Views + orders.Orders;
        var eventsPerSecond = events / (views.Elapsed + orders.Elapsed).TotalSeconds;
        table.Add("views ingested (program views counted by the grains)",
            $"{Report.Number(views.Views)} ({Report.Number(views.Counted)})", "all", Report.Verdict(views.Counted == views.Views && views.Unknown == 0));
        table.Add("batches × views per batch; seller calls (= writes), views per call",
            $"{Report.Number(views.Batches)} × {Report.Number((double)views.Views / views.Batches)}; {Report.Number(views.Calls)}, "
                + Report.Decimal((double)views.Views / views.Calls, 1), "", "");
        table.Add("views phase wall time", $"{Report.Decimal(views.Elapsed.TotalSeconds, 1)} s", "", "");
        table.Add("**views/s**", Report.Number(viewsPerSecond), $"≥ {Report.Number(TargetViewsPerSecond)}",
            viewsPerSecond >= TargetViewsPerSecond
                ? Report.Verdict(true)
                : $"{Report.Verdict(false)} ({Report.Decimal(100 * (1 - (viewsPerSecond / TargetViewsPerSecond)), 0)}% short)");
        table.Add("views/s by quarter of the stream (the states fill up day by day)",
            string.Join(" → ", views.Quarters.Select(q => Report.Number(q.ViewsPerSecond))), "", "");
        table.Add("CPU ms per seller write by quarter: bench / PostgreSQL / whole machine",
            string.Join(" → ", views.Quarters.Select(q => $"{Report.Decimal(q.BenchMs, 2)} / {Report.Decimal(q.PostgresMs, 2)} / {Report.Decimal(q.MachineMs, 2)}")),
            "", "");
        table.Add("seller writes/s while ingesting views", Report.Number(views.Calls / views.Elapsed.TotalSeconds), "", "");
        table.Add("batch p50 / p99 (lookup + calls)",
            $"{Report.Duration(views.BatchLatency.Percentile(0.5))} / {Report.Duration(views.BatchLatency.Percentile(0.99))}", "", "");
        table.Add("RecordViewsAsync call p50 / p99 (queueing behind the seller's other calls included)",
            $"{Report.Duration(views.CallLatency.Percentile(0.5))} / {Report.Duration(views.CallLatency.Percentile(0.99))}", "", "");
        table.Add("product → seller lookups (all at once, as in the gateway), summed over batches",
            $"{Report.Decimal(views.Lookup.TotalSeconds, 1)} s of {Report.Decimal(views.BatchTime.TotalSeconds, 1)} s batch time "
                + $"({Report.Decimal(100 * views.Lookup / views.BatchTime, 1)} %)", "", "");
        table.Add("CPU while ingesting views", views.Usage, "", "");
        table.Add("orders ingested (in the program; replays)",
            $"{Report.Number(orders.Orders)} ({Report.Number(orders.InProgram)}; {Report.Number(orders.Replays)})", "all, none replayed",
            Report.Verdict(orders.InProgram == orders.Orders && orders.Replays == 0));
        table.Add("**orders/s** (one write each)", $"{Report.Number(ordersPerSecond)} in {Report.Decimal(orders.Elapsed.TotalSeconds, 1)} s", "", "");
        table.Add("RecordOrderAsync call p50 / p99",
            $"{Report.Duration(orders.Latency.Percentile(0.5))} / {Report.Duration(orders.Latency.Percentile(0.99))}", "", "");
        table.Add("CPU while ingesting orders", orders.Usage, "", "");
        table.Add("events/s, both phases", $"{Report.Number(eventsPerSecond)} ({Report.Number(events)} events)", "", "");
        Report.Facts($"Traffic window: {traffic.From:yyyy-MM-dd HH:mm} → {traffic.To:yyyy-MM-dd HH:mm} UTC");
    }

    /// <summary>The exact 90-day figures of every seller, from the generated traffic, against what its grain answers.</summary>
    private static void CompareWithTruth(Traffic traffic, StarAnalytics[] analytics, MarkdownTable table)
    {
        var sellers = traffic.Sellers.Length;
        var from = BusinessCalendar.StartOf(analytics[0].From).UtcTicks;
        var to = BusinessCalendar.StartOf(analytics[0].To.AddDays(1)).UtcTicks;
        var views = new long[sellers];
        var viewers = Enumerable.Range(0, sellers).Select(_ => new HashSet<int>()).ToArray();
        var buyers = Enumerable.Range(0, sellers).Select(_ => new HashSet<int>()).ToArray();
        var turnover = new decimal[sellers];
        for (var i = 0; i < traffic.ViewProduct.Length; i++)
        {
            if (traffic.ViewTicks[i] >= from && traffic.ViewTicks[i] < to)
            {
                var seller = traffic.ViewProduct[i] / ProductsPerSeller;
                views[seller]++;
                viewers[seller].Add(traffic.ViewCustomer[i]);
            }
        }

        foreach (var order in traffic.Orders.Where(o => o.Ticks >= from && o.Ticks < to))
        {
            buyers[order.Seller].Add(order.Customer);
            turnover[order.Seller] += order.Lines.Sum(l => Traffic.PriceOf(l.Product) * l.Quantity);
        }

        double Error(long estimate, long truth) => truth == 0 ? 0 : 100.0 * (estimate - truth) / truth;
        string Spread(Func<int, double> error)
        {
            var errors = Enumerable.Range(0, sellers).Select(s => Math.Abs(error(s))).Order().ToArray();
            return $"{Report.Decimal(errors[errors.Length / 2], 2)} % / {Report.Decimal(errors[^1], 2)} %";
        }

        // The seller shown is the one with the most views: its sketches are the fullest.
        var shown = Enumerable.Range(0, sellers).MaxBy(s => views[s]);
        var a = analytics[shown];
        table.Add("views", Report.Number(a.Views), Report.Number(views[shown]), $"{Report.Decimal(Error(a.Views, views[shown]), 2)} %",
            Spread(s => Error(analytics[s].Views, views[s])));
        table.Add("distinct viewers", Report.Number(a.Viewers), Report.Number(viewers[shown].Count),
            $"{Report.Decimal(Error(a.Viewers, viewers[shown].Count), 2)} %", Spread(s => Error(analytics[s].Viewers, viewers[s].Count)));
        table.Add("distinct buyers", Report.Number(a.Buyers), Report.Number(buyers[shown].Count),
            $"{Report.Decimal(Error(a.Buyers, buyers[shown].Count), 2)} %", Spread(s => Error(analytics[s].Buyers, buyers[s].Count)));
        var share = StarProductsRules.ActiveShare(buyers[shown].Count, viewers[shown].Count);
        table.Add("active customer share", a.ActiveCustomerShare.ToString(CultureInfo.InvariantCulture), share.ToString(CultureInfo.InvariantCulture),
            $"{Report.Decimal(share == 0 ? 0 : (double)(100 * (a.ActiveCustomerShare - share) / share), 2)} %",
            Spread(s =>
            {
                var truth = StarProductsRules.ActiveShare(buyers[s].Count, viewers[s].Count);
                return truth == 0 ? 0 : (double)(100 * (analytics[s].ActiveCustomerShare - truth) / truth);
            }));
        table.Add("turnover, RUB", a.Turnover.ToString("N2", CultureInfo.InvariantCulture), turnover[shown].ToString("N2", CultureInfo.InvariantCulture),
            a.Turnover == turnover[shown] ? "exact" : "**differs**",
            $"{Report.Number(Enumerable.Range(0, sellers).Count(s => analytics[s].Turnover != turnover[s]))} sellers differ");
        Report.Facts(
            $"Analytics: GetAnalyticsAsync(90) of every seller, window {a.From:yyyy-MM-dd} → {a.To:yyyy-MM-dd} (Moscow); the row figures are "
                + $"those of the seller with the most views; truth is computed from the generated traffic in that window",
            $"Method (as the grain states it): {a.Method}");
    }

    /// <summary>Every seller's stored state: on-disk jsonb size, its text, and the JSON the grain sends (GrainJson).</summary>
    private static async Task<StateSizes> ReadStateSizesAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT pg_column_size(state), length(state::text), state::text FROM \"{schema}\".grain_state WHERE grain_type = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = LoyaltyGrainType });
        var stored = new List<long>();
        var text = new List<long>();
        var written = new List<long>();
        var days = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored.Add(reader.GetInt32(0));
            text.Add(reader.GetInt32(1));
            var state = JsonSerializer.Deserialize<SellerLoyaltyState>(reader.GetString(2), GrainJson.Options)!;
            written.Add(Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(state, GrainJson.Options)));
            days.Add(state.Days.Count);
        }

        return new StateSizes([.. stored.Order()], [.. text.Order()], [.. written.Order()], [.. days.Order()]);
    }

    /// <summary>
    /// A fresh cluster on the same database: the settled heap before and after activating the sellers (GetAsync reads
    /// and deserializes each state), beyond <see cref="WarmupActivations"/> warm-up activations; and the same states
    /// deserialized on their own.
    /// </summary>
    private static async Task<MemoryResult> MeasureActivationsAsync(
        BenchArgs args, string connectionString, ShiftedClock clock, string serviceId, Guid[] sellers, NpgsqlDataSource dataSource, string schema)
    {
        var warm = Math.Min(WarmupActivations, sellers.Length / 10);
        var measured = sellers[warm..];
        Report.Progress($"star-products: measuring the heap of {Report.Number(measured.Length)} seller activations ...");

        var texts = new List<string>();
        await using (var command = dataSource.CreateCommand($"SELECT state::text FROM \"{schema}\".grain_state WHERE grain_type = $1 AND grain_key = ANY($2)"))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = LoyaltyGrainType });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. measured.Select(s => s.ToString("D"))] });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                texts.Add(reader.GetString(0));
            }
        }

        var states = new SellerLoyaltyState[texts.Count];
        var before = SettledHeap();
        for (var i = 0; i < texts.Count; i++)
        {
            states[i] = JsonSerializer.Deserialize<SellerLoyaltyState>(texts[i], GrainJson.Options)!;
        }

        var stateAlone = (double)(SettledHeap() - before) / Math.Max(1, texts.Count);
        GC.KeepAlive(states);
        GC.KeepAlive(texts);

        // The same service id: the silo finds the reminders of the one before, as a restarted silo does.
        await using var cluster = await BenchCluster.StartAsync(args.Settings, connectionString, clock: clock, serviceId: serviceId);
        foreach (var seller in sellers[..warm])
        {
            await cluster.GrainFactory.GetGrain<ISellerLoyaltyGrain>(seller).GetAsync();
        }

        // Counted by Orleans (the old runtime's catalog count is gone); the first count activates the management grain, before the baseline.
        var activationsBefore = await cluster.CountActivationsAsync();
        var baseline = SettledHeap();
        await Task.WhenAll(measured.Select(s => cluster.GrainFactory.GetGrain<ISellerLoyaltyGrain>(s).GetAsync()));
        var after = SettledHeap();
        var activations = await cluster.CountActivationsAsync() - activationsBefore;
        return new MemoryResult(activations, (double)(after - baseline) / Math.Max(1, activations), stateAlone);
    }

    private static void SummarizeState(StateSizes sizes, MemoryResult memory, MarkdownTable table)
    {
        static string Kb(long bytes) => $"{Report.Decimal(bytes / 1024.0, 1)} KiB";
        static long Median(long[] sorted) => sorted[sorted.Length / 2];
        string Judge(long max) => max <= TargetStateBytes
            ? Report.Verdict(true)
            : $"{Report.Verdict(false)} (by {Kb(max - TargetStateBytes)})";

        table.Add("days of aggregates kept", Report.Number(Median(sizes.Days)), Report.Number(sizes.Days[^1]), "", "");
        table.Add("**stored jsonb, pg_column_size(state)** (TOAST compresses it only when pglz saves ≥ 25 %)", Kb(Median(sizes.Stored)), Kb(sizes.Stored[^1]),
            $"≤ {Kb(TargetStateBytes)}", Judge(sizes.Stored[^1]));
        table.Add("**JSON text, length(state::text)**", Kb(Median(sizes.Text)), Kb(sizes.Text[^1]), $"≤ {Kb(TargetStateBytes)}", Judge(sizes.Text[^1]));
        table.Add("JSON the grain writes per call (GrainJson, UTF-8 bytes)", Kb(Median(sizes.Written)), Kb(sizes.Written[^1]), "", "");
        table.Add($"heap per activation ({Report.Number(memory.Activations)} activated by GetAsync on a fresh cluster)",
            Kb((long)memory.PerActivation), "", "", "");
        table.Add("of which the state object alone (deserialized on its own)", Kb((long)memory.StateAlone), "", "", "");

        var bound = Bound();
        table.Add("bound: every day's three sketches full (computed)", "", Kb(bound.Full), "", "");
        table.Add("distinct views a day per seller (viewers equal, 10 % buyers) that still fit 64 KiB of JSON (computed)",
            Report.Number(bound.FitsPerDay), $"≈ {Report.Number(bound.FitsPerDay * 90)} views in 90 days", "", "");
    }

    /// <summary>
    /// Sizes of synthetic states, serialized as the grain does: 90 days whose sketches are full (the bound whatever the
    /// traffic), and the most distinct views a day (as many viewers, a tenth as many buyers) that stay within the target.
    /// </summary>
    private static (long Full, int FitsPerDay) Bound()
    {
        var random = new Random(Seed);
        string Sketch(int distinct)
        {
            var sketch = new DistinctSketch();
            Span<byte> hash = stackalloc byte[8];
            for (var i = 0; i < distinct; i++)
            {
                random.NextBytes(hash);
                sketch.Add(BitConverter.ToUInt64(hash));
            }

            return sketch.Serialize();
        }

        long Size(int perDay, int buyersPerDay)
        {
            var state = new SellerLoyaltyState { ModeratedProducts = 1, ActivatedAt = DateTimeOffset.UtcNow.AddDays(-91) };
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            for (var d = 0; d < SellerLoyaltyGrain.DaysKept; d++)
            {
                state.Days[today.AddDays(-d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)] = new StarDayStats
                {
                    Views = Sketch(perDay), Viewers = Sketch(perDay), Buyers = Sketch(buyersPerDay), Turnover = 123_456.78m, Orders = buyersPerDay,
                };
            }

            return Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(state, GrainJson.Options));
        }

        var full = Size(DistinctSketch.SparseLimit + 1, DistinctSketch.SparseLimit + 1);
        var (low, high) = (0, DistinctSketch.SparseLimit);
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            (low, high) = Size(mid, mid / 10) <= TargetStateBytes ? (mid, high) : (low, mid - 1);
        }

        return (full, low);
    }

    private static long SettledHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The generated traffic: views as parallel arrays (time order) and orders (time order).</summary>
    private sealed class Traffic
    {
        public required Guid[] Sellers { get; init; }

        public required string[] Products { get; init; }

        public required Guid[] Customers { get; init; }

        public required int[] ViewProduct { get; init; }

        public required int[] ViewCustomer { get; init; }

        public required long[] ViewTicks { get; init; }

        public required OrderPlan[] Orders { get; init; }

        public DateTimeOffset From { get; init; }

        public DateTimeOffset To { get; init; }

        /// <summary>The seller price of a product: 300 to 5,200 RUB by its index.</summary>
        public static decimal PriceOf(int product) => 300m + (100m * (product % 50)) - 0.01m;

        public static Traffic Generate(BenchArgs args, Guid[] sellers, string[] products, DateTimeOffset now)
        {
            var random = new Random(Seed);
            var today = BusinessCalendar.DateOf(now);
            var from = BusinessCalendar.StartOf(today.AddDays(1 - SellerLoyaltyGrain.DaysKept));
            var to = now - TimeSpan.FromMinutes(1);
            var span = (to - from).Ticks;
            var customers = Enumerable.Range(0, CustomerCount(args)).Select(_ => Guid.NewGuid()).ToArray();
            var count = args.Views;
            var viewProduct = new int[count];
            var viewCustomer = new int[count];
            var viewTicks = new long[count];
            for (var i = 0; i < count; i++)
            {
                viewProduct[i] = random.Next(products.Length);
                viewCustomer[i] = random.Next(customers.Length);
                viewTicks[i] = from.UtcTicks + (long)((i + random.NextDouble()) / count * span);
            }

            var orders = new OrderPlan[args.Orders];
            for (var i = 0; i < orders.Length; i++)
            {
                var view = random.Next(count);
                var product = viewProduct[view];
                var seller = product / ProductsPerSeller;
                var ticks = Math.Min(viewTicks[view] + random.NextInt64(TimeSpan.FromHours(3).Ticks), to.UtcTicks);
                var lines = new List<(int Product, int Quantity)> { (product, 1 + random.Next(2)) };
                if (random.NextDouble() < SecondLineShare)
                {
                    var other = (seller * ProductsPerSeller) + ((product % ProductsPerSeller) + 1 + random.Next(ProductsPerSeller - 1)) % ProductsPerSeller;
                    lines.Add((other, 1 + random.Next(2)));
                }

                orders[i] = new OrderPlan(0, seller, viewCustomer[view], ticks, lines);
            }

            Array.Sort(orders, (x, y) => x.Ticks.CompareTo(y.Ticks));
            for (var i = 0; i < orders.Length; i++)
            {
                orders[i] = orders[i] with { Index = i };
            }

            return new Traffic
            {
                Sellers = sellers, Products = products, Customers = customers, ViewProduct = viewProduct, ViewCustomer = viewCustomer,
                ViewTicks = viewTicks, Orders = orders, From = from, To = to,
            };
        }
    }

    private sealed record OrderPlan(int Index, int Seller, int Customer, long Ticks, IReadOnlyList<(int Product, int Quantity)> Lines);

    private readonly record struct BatchResult(int Counted, int Calls, int Unknown, long LookupTicks);

    private sealed record ViewsResult(
        int Views, int Batches, long Counted, long Calls, long Unknown, TimeSpan Elapsed, TimeSpan Lookup, TimeSpan BatchTime, LatencyHistogram BatchLatency,
        LatencyHistogram CallLatency, QuarterResult[] Quarters, string Usage);

    /// <summary>A quarter of the views stream: views/s, and CPU milliseconds per seller write (bench, PostgreSQL, whole machine).</summary>
    private sealed record QuarterResult(double ViewsPerSecond, double BenchMs, double PostgresMs, double MachineMs);

    private sealed record OrdersResult(int Orders, long InProgram, long Replays, TimeSpan Elapsed, LatencyHistogram Latency, string Usage);

    private sealed record StateSizes(long[] Stored, long[] Text, long[] Written, long[] Days);

    private sealed record MemoryResult(int Activations, double PerActivation, double StateAlone);
}
