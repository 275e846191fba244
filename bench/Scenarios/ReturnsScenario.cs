using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OzonActors.Grains.Returns;
using OzonActors.Returns;
using OzonActors.Persistence;
using OzonActors.Persistence.Hosting;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// Return requests on PostgreSQL with the system clock and shortened deadlines: --requests requests, each on its own
/// delivered order, driven by --callers concurrent drivers through complete lifecycles of a fixed mix; some are left
/// waiting so that their deadlines fire. Judged: status changes per second while driving, and the deadline lag
/// (when a timeout was applied − its due instant). Deadlines are Orleans reminders now (ticking at the due instant, then
/// every retry period until handled); a request's pending deadlines are read from <c>grain_state.deadlines</c>, where the
/// facet keeps them with the state.
/// </summary>
internal static class ReturnsScenario
{
    private const double TargetTransitionsPerSecond = 1_000;
    private const long TargetLagP99Nanoseconds = 1_000_000_000;

    /// <summary>Every <c>Returns:Deadlines:*</c> is this unless --set says otherwise: a lifecycle of timeouts ends within seconds.</summary>
    private const string ShortDeadline = "00:00:03";

    private const int Sellers = 50;
    private const string LineId = "1";
    private const int ProgressSeconds = 5;

    /// <summary>The mix: 100 slots. Timeout lifecycles leave the request waiting after their last step.</summary>
    private static readonly Lifecycle[] Mix =
    [
        new("approve → ship → receive → refund", 20, Marketplace: false, ReturnStatus.Refund,
            [new(ReturnAction.Approve), new(ReturnAction.Ship), new(ReturnAction.ConfirmReceived), new(ReturnAction.Refund)]),
        new("offer → accept", 10, Marketplace: false, ReturnStatus.PartialCompensationApproved,
            [new(ReturnAction.OfferCompensation), new(ReturnAction.AcceptCompensation)]),
        new("offer → refuse → approve → ship → receive → refund", 10, Marketplace: false, ReturnStatus.Refund,
            [new(ReturnAction.OfferCompensation), new(ReturnAction.RefuseCompensation), new(ReturnAction.Approve), new(ReturnAction.Ship),
                new(ReturnAction.ConfirmReceived), new(ReturnAction.Refund)]),
        new("reject → dispute → moderator for the seller", 7, Marketplace: false, ReturnStatus.RejectedByOzon,
            [new(ReturnAction.Reject), new(ReturnAction.OpenDispute), new(ReturnAction.DecideDispute, DisputeSide.Seller)]),
        new("reject → dispute → moderator for the customer → ship → receive → refund", 5, Marketplace: false, ReturnStatus.Refund,
            [new(ReturnAction.Reject), new(ReturnAction.OpenDispute), new(ReturnAction.DecideDispute, DisputeSide.Customer),
                new(ReturnAction.Ship), new(ReturnAction.ConfirmReceived), new(ReturnAction.Refund)]),
        new("approve → ship → receive → reject refund → dispute → moderator for the customer", 5, Marketplace: false, ReturnStatus.Refund,
            [new(ReturnAction.Approve), new(ReturnAction.Ship), new(ReturnAction.ConfirmReceived), new(ReturnAction.RejectRefund),
                new(ReturnAction.OpenDispute), new(ReturnAction.DecideDispute, DisputeSide.Customer)]),
        new("marketplace offer → accept", 5, Marketplace: true, ReturnStatus.PartialCompensationApproved,
            [new(ReturnAction.AcceptCompensation)]),
        new("marketplace offer → refuse → approved → ship → receive → refund", 10, Marketplace: true, ReturnStatus.Refund,
            [new(ReturnAction.RefuseCompensation), new(ReturnAction.Ship), new(ReturnAction.ConfirmReceived), new(ReturnAction.Refund)]),
        new("timeouts: New → Approved → Overdue", 8, Marketplace: false, ReturnStatus.Overdue, []),
        new("reject, timeout: no dispute", 4, Marketplace: false, ReturnStatus.RejectedDisputeNotOpened,
            [new(ReturnAction.Reject)]),
        new("marketplace offer, timeouts: → Approved → Overdue", 5, Marketplace: true, ReturnStatus.Overdue, []),
        new("offer, timeouts: → AwaitingClarification → Approved → Overdue", 3, Marketplace: false, ReturnStatus.Overdue,
            [new(ReturnAction.OfferCompensation)]),
        new("approve → ship → receive, timeout: refund", 4, Marketplace: false, ReturnStatus.Refund,
            [new(ReturnAction.Approve), new(ReturnAction.Ship), new(ReturnAction.ConfirmReceived)]),
        new("reject → dispute, timeouts: for the customer → Overdue", 4, Marketplace: false, ReturnStatus.Overdue,
            [new(ReturnAction.Reject), new(ReturnAction.OpenDispute)]),
    ];

    public static async Task RunAsync(BenchArgs args)
    {
        Report.Header("returns: return requests through complete lifecycles on PostgreSQL", args);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var deadline in typeof(ReturnDeadlines).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            settings[$"{ReturnsOptions.Section}:{nameof(ReturnsOptions.Deadlines)}:{deadline.Name}"] = ShortDeadline;
        }

        foreach (var (key, value) in args.Settings)
        {
            settings[key] = value;
        }

        var requests = Plan(args.Requests);
        Report.Facts(
            "Runtime: an Orleans 10 silo in the bench process on PostgreSQL (UseOzonClustering + AddOzonGrains, ReturnsOptions bound "
                + "from the settings), system clock; Orleans' reminder service fires the deadlines",
            $"Setup (not measured): {Report.Number(requests.Length)} delivered orders recorded, one per request, {Sellers} sellers; "
                + "seller-processed lines priced above 1,800 RUB, marketplace-processed ones at most 1,800",
            $"Load: {args.Callers} concurrent drivers, each taking the next request, creating it and taking its lifecycle's steps "
                + "one after the other through IReturnRequestGrain.ActAsync; timeout lifecycles leave the request waiting after their last step",
            "Status changes: ReturnStatusChanged events in the log (one per history entry, the creation's New included), "
                + "checked against the history of every final state",
            "Transitions/s while driving: status changes stamped between the first creation and the last driver's end, over that window "
                + "(timeouts firing meanwhile included); whole run: all status changes over first creation → last status change",
            "Deadline lag: per timeout, the event's stamp (taken when the grain applies the timeout, in the turn that commits it) "
                + "− the due instant (the history entry's At, carried as the event's request.updatedAt)");

        var mix = new MarkdownTable("Lifecycle", "Share", "Requests", "Expected final", "Reached it", "Status changes", "Timeouts");
        var finals = new MarkdownTable("Final status", "Requests", "Expected by the mix");
        var figures = new MarkdownTable("Measure", "Figure", "Target", "Result");

        // --set Telemetry:Modes=off,metrics,tracing drives the same plan once per mode, each on a fresh database, and
        // compares them (issue 14: the cost of metrics, and of tracing sampled at 100 %, with no exporter behind them).
        var modes = settings.TryGetValue("Telemetry:Modes", out var listed) && listed is { Length: > 0 } ? listed.Split(',') : ["off"];
        var costs = new MarkdownTable("Telemetry", "Status changes/s while driving", "vs off", "Bench CPU ms per change");
        double? baseline = null;
        foreach (var mode in modes)
        {
            if (modes.Length > 1)
            {
                Report.Facts($"Telemetry: {mode}");
                (mix, finals, figures) = (new MarkdownTable("Lifecycle", "Share", "Requests", "Expected final", "Reached it", "Status changes", "Timeouts"),
                    new MarkdownTable("Final status", "Requests", "Expected by the mix"), new MarkdownTable("Measure", "Figure", "Target", "Result"));
            }

            var rate = await RunOnceAsync(args, settings, requests, mode, mix, finals, figures);
            // Against the latest "off" run: list the modes twice (off,metrics,tracing,off,metrics,tracing) and read the
            // second pass, the first one warms the process up.
            baseline = mode.Equals("off", StringComparison.OrdinalIgnoreCase) || baseline is null ? rate.PerSecond : baseline;
            costs.Add(mode, Report.Decimal(rate.PerSecond, 0), $"{Report.Decimal((rate.PerSecond / baseline.Value - 1) * 100, 1)} %",
                Report.Decimal(rate.CpuMsPerChange, 2));
            mix.Print();
            finals.Print();
            figures.Print();
        }

        if (modes.Length > 1)
        {
            costs.Print();
        }
    }

    private static async Task<(double PerSecond, double CpuMsPerChange)> RunOnceAsync(
        BenchArgs args, Dictionary<string, string?> settings, Request[] requests, string mode, MarkdownTable mix, MarkdownTable finals, MarkdownTable figures)
    {
        var tracing = mode.Equals("tracing", StringComparison.OrdinalIgnoreCase);
        var metrics = tracing || mode.Equals("metrics", StringComparison.OrdinalIgnoreCase);
        (double, double) rate = default;
        await BenchCluster.WithDatabaseAsync(async connectionString =>
        {
            await using var cluster = await BenchCluster.StartAsync(settings, connectionString,
                services: metrics ? s => s.AddOzonTelemetry("bench", tracing, metrics, otlp: false) : null,
                silo: tracing ? silo => silo.AddActivityPropagation() : null);
            var options = cluster.Services.GetRequiredService<IOptions<ReturnsOptions>>().Value;
            var schema = BenchCluster.Schema(cluster.Services);
            Report.Facts(
                $"Deadlines: {string.Join(", ", DeadlinesOf(options).Select(d => $"{d.Name}={Report.Seconds(d.Value)} s"))}",
                BenchCluster.DescribeReminders(cluster.Services));

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await RecordOrdersAsync(cluster, requests, args.Callers);
            var drive = await DriveAsync(cluster, requests, args.Callers);
            var longest = DeadlinesOf(options).Max(d => d.Value);
            var settled = await WaitForDeadlinesAsync(dataSource, schema, drive.Ended + (longest * 4) + TimeSpan.FromSeconds(60));
            var log = await ReadTransitionsAsync(dataSource, schema, drive.Ended);
            var states = await ReadFinalStatesAsync(dataSource, schema);
            Summarize(requests, drive, settled, log, states, mix, finals, figures);
            rate = (log.WhileDriving / (drive.Ended - drive.Started).TotalSeconds, drive.Cpu.TotalMilliseconds / Math.Max(1, log.WhileDriving));
        });

        return rate;
    }

    /// <summary>The requests in run order: slot <c>i % 100</c> of the mix, the 100 slots visited with a stride so lifecycles interleave.</summary>
    private static Request[] Plan(int count)
    {
        var slots = Mix.SelectMany(lifecycle => Enumerable.Repeat(lifecycle, lifecycle.Weight)).ToArray();
        var sellers = Enumerable.Range(0, Sellers).Select(_ => (Id: Guid.NewGuid(), Account: Guid.NewGuid())).ToArray();
        var moderator = Guid.NewGuid();
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var lifecycle = slots[(i * 37) % slots.Length];
            var seller = sellers[i % Sellers];
            var price = lifecycle.Marketplace ? 300m + (100m * (i % 16)) : 1_801m + (100m * (i % 50));
            return new Request(
                i, Guid.NewGuid(), lifecycle, $"bench-order-{i:D6}", Guid.NewGuid(), seller.Id, seller.Account, moderator, price);
        })];
    }

    private static async Task RecordOrdersAsync(BenchSilo cluster, Request[] requests, int concurrency)
    {
        Report.Progress($"returns: recording {Report.Number(requests.Length)} delivered orders ...");
        var started = Stopwatch.GetTimestamp();
        var deliveredAt = DateTimeOffset.UtcNow.AddDays(-2);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Length)
            {
                var request = requests[i];
                var line = new OrderLine(LineId, $"product-{i % 500}", "Bench kettle", ProductCategory.Other, request.Price, 1, false, null);
                await cluster.GrainFactory.GetGrain<IOrderGrain>(request.OrderId)
                    .RecordAsync(new DeliveredOrder(request.OrderId, request.CustomerId, request.SellerId, deliveredAt, false, [line]));
            }
        })));
        Report.Facts($"Orders recorded in {Report.Decimal(Stopwatch.GetElapsedTime(started).TotalSeconds, 1)} s");
    }

    private static async Task<DriveResult> DriveAsync(BenchSilo cluster, Request[] requests, int drivers)
    {
        Report.Progress($"returns: driving {Report.Number(requests.Length)} requests with {drivers} drivers ...");
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var creates = Enumerable.Range(0, drivers).Select(_ => new LatencyHistogram()).ToArray();
        var actions = Enumerable.Range(0, drivers).Select(_ => new LatencyHistogram()).ToArray();
        var next = -1;
        var done = 0;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var pauseBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = Collections();
        var started = DateTimeOffset.UtcNow;
        var running = Task.WhenAll(Enumerable.Range(0, drivers).Select(d => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Length)
            {
                await DriveOneAsync(cluster.GrainFactory, requests[i], creates[d], actions[d], failures);
                Interlocked.Increment(ref done);
            }
        })));
        while (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(ProgressSeconds))) != running)
        {
            Report.Progress($"returns: {Report.Number(Volatile.Read(ref done))} of {Report.Number(requests.Length)} requests driven");
        }

        await running;
        var ended = DateTimeOffset.UtcNow;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var collections = Collections().Zip(collectionsBefore, (after, before) => after - before).ToArray();
        var create = new LatencyHistogram();
        var action = new LatencyHistogram();
        for (var d = 0; d < drivers; d++)
        {
            create.Add(creates[d]);
            action.Add(actions[d]);
        }

        return new DriveResult(started, ended, create, action, failures, cpu, pause, collections);
    }

    private static int[] Collections() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    /// <summary>Creates the request and takes its steps; the first failure ends the request's driving and is counted.</summary>
    private static async Task DriveOneAsync(
        IGrainFactory factory, Request request, LatencyHistogram creates, LatencyHistogram actions, ConcurrentDictionary<string, int> failures)
    {
        var grain = factory.GetGrain<IReturnRequestGrain>(request.Id);
        var step = "Create";
        try
        {
            var start = Stopwatch.GetTimestamp();
            await grain.CreateAsync(request.CustomerId, new CreateReturn(
                request.OrderId, LineId, 1, "Does not work", ReturnQuality.Improper, ["https://example.invalid/photo-1.jpg"], null));
            creates.Record(TimedRun.Nanoseconds(Stopwatch.GetTimestamp() - start));
            foreach (var next in request.Lifecycle.Steps)
            {
                step = next.Action.ToString();
                start = Stopwatch.GetTimestamp();
                await grain.ActAsync(Command(request, next));
                actions.Record(TimedRun.Nanoseconds(Stopwatch.GetTimestamp() - start));
            }
        }
        catch (Exception exception)
        {
            var reason = exception is DomainException domain ? domain.Code : exception.GetType().Name;
            failures.AddOrUpdate($"{step}: {reason}", 1, (_, count) => count + 1);
        }
    }

    private static ReturnCommand Command(Request request, Step step)
    {
        var seller = ReturnActor.Seller(request.SellerId, request.SellerAccountId);
        var customer = ReturnActor.Customer(request.CustomerId);
        return step.Action switch
        {
            ReturnAction.Approve or ReturnAction.ConfirmReceived or ReturnAction.Refund => new(step.Action, seller),
            ReturnAction.Reject or ReturnAction.RejectRefund => new(step.Action, seller) { Reason = "The photos show no defect" },
            ReturnAction.OfferCompensation => new(step.Action, seller) { Amount = decimal.Round(request.Price / 5, 2) },
            ReturnAction.AcceptCompensation or ReturnAction.RefuseCompensation => new(step.Action, customer),
            ReturnAction.Ship => new(step.Action, customer) { TrackingNumber = $"RB{request.Index:D9}RU" },
            ReturnAction.OpenDispute => new(step.Action, customer) { Topic = "The defect is real" },
            ReturnAction.DecideDispute => new(step.Action, ReturnActor.Moderator(request.ModeratorId)) { InFavorOf = step.Side },
            _ => throw new InvalidOperationException($"The bench has no driver for {step.Action}."),
        };
    }

    /// <summary>
    /// Waits until no request holds a status deadline any more (every timeout applied), or until <paramref name="giveUpAt"/>;
    /// the facet keeps a grain's deadlines in its <c>grain_state</c> row, written with the state that sets or consumes them.
    /// </summary>
    private static async Task<bool> WaitForDeadlinesAsync(NpgsqlDataSource dataSource, string schema, DateTimeOffset giveUpAt)
    {
        var grainType = BenchCluster.StateName(typeof(ReturnRequestGrain));
        await using var command = dataSource.CreateCommand(
            $"SELECT count(*) FROM \"{schema}\".grain_state WHERE grain_type = $1 AND deadlines ? 'deadline'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainType });
        var lastReport = DateTimeOffset.MinValue;
        while (true)
        {
            var left = (long)(await command.ExecuteScalarAsync())!;
            var now = DateTimeOffset.UtcNow;
            if (left == 0)
            {
                return true;
            }

            if (now >= giveUpAt)
            {
                Report.Facts($"Gave up waiting with {Report.Number(left)} deadlines not yet fired");
                return false;
            }

            if (now - lastReport >= TimeSpan.FromSeconds(ProgressSeconds))
            {
                Report.Progress($"returns: waiting for {Report.Number(left)} deadlines to fire ...");
                lastReport = now;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static async Task<TransitionLog> ReadTransitionsAsync(NpgsqlDataSource dataSource, string schema, DateTimeOffset drivingEnded)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT at, data ->> 'by', data -> 'request' ->> 'updatedAt' FROM \"{schema}\".events WHERE type = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReturnRequestGrain.StatusChangedEvent });
        var lag = new LatencyHistogram();
        var lagWhileDriving = new LatencyHistogram();
        var lagAfter = new LatencyHistogram();
        long total = 0;
        long whileDriving = 0;
        long timeouts = 0;
        var first = DateTimeOffset.MaxValue;
        var last = DateTimeOffset.MinValue;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var at = reader.GetFieldValue<DateTimeOffset>(0);
            total++;
            whileDriving += at <= drivingEnded ? 1 : 0;
            first = at < first ? at : first;
            last = at > last ? at : last;
            if (reader.GetString(1) == nameof(ReturnActorRole.System))
            {
                timeouts++;
                var due = DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture);
                var nanoseconds = (at - due).Ticks * 100;
                lag.Record(nanoseconds);
                (due <= drivingEnded ? lagWhileDriving : lagAfter).Record(nanoseconds);
            }
        }

        return new TransitionLog(total, whileDriving, timeouts, first, last, lag, lagWhileDriving, lagAfter);
    }

    /// <summary>The stored state of every request, read from <c>grain_state</c> so that reading applies nothing.</summary>
    private static async Task<Dictionary<Guid, ReturnRequestState>> ReadFinalStatesAsync(NpgsqlDataSource dataSource, string schema)
    {
        var grainType = BenchCluster.StateName(typeof(ReturnRequestGrain));
        await using var command = dataSource.CreateCommand($"SELECT state FROM \"{schema}\".grain_state WHERE grain_type = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainType });
        var states = new Dictionary<Guid, ReturnRequestState>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var state = JsonSerializer.Deserialize<ReturnRequestState>(reader.GetString(0), GrainJson.Options)!;
            states[state.Id] = state;
        }

        return states;
    }

    private static void Summarize(
        Request[] requests, DriveResult drive, bool settled, TransitionLog log, Dictionary<Guid, ReturnRequestState> states,
        MarkdownTable mix, MarkdownTable finals, MarkdownTable figures)
    {
        var byFinal = new Dictionary<string, int>(StringComparer.Ordinal);
        var expectedByFinal = new Dictionary<string, int>(StringComparer.Ordinal);
        long historyEntries = 0;
        long historyTimeouts = 0;
        var terminal = 0;
        var byLifecycle = requests.ToLookup(r => r.Lifecycle);
        foreach (var lifecycle in Mix)
        {
            var group = byLifecycle[lifecycle].ToArray();
            if (group.Length == 0)
            {
                continue;
            }

            var reached = 0;
            long changes = 0;
            long timeouts = 0;
            foreach (var request in group)
            {
                var final = states.TryGetValue(request.Id, out var state) ? state.Status.ToString() : "(not created)";
                byFinal[final] = byFinal.GetValueOrDefault(final) + 1;
                expectedByFinal[lifecycle.Final.ToString()] = expectedByFinal.GetValueOrDefault(lifecycle.Final.ToString()) + 1;
                if (state is null)
                {
                    continue;
                }

                reached += state.Status == lifecycle.Final ? 1 : 0;
                terminal += ReturnWorkflow.IsTerminal(state.Status) ? 1 : 0;
                changes += state.History.Count;
                timeouts += state.History.Count(h => h.Action == "Timeout");
            }

            historyEntries += changes;
            historyTimeouts += timeouts;
            var count = group.Length;
            mix.Add(lifecycle.Name, $"{lifecycle.Weight} %", Report.Number(count), lifecycle.Final.ToString(),
                reached == count ? Report.Number(reached) : $"{Report.Number(reached)} (**{Report.Number(count - reached)} not**)",
                Report.Number(changes), Report.Number(timeouts));
        }

        foreach (var status in byFinal.Keys.Union(expectedByFinal.Keys).Order(StringComparer.Ordinal))
        {
            finals.Add(status, Report.Number(byFinal.GetValueOrDefault(status)), Report.Number(expectedByFinal.GetValueOrDefault(status)));
        }

        var driving = drive.Ended - log.First;
        var whole = log.Last - log.First;
        var drivingRate = log.WhileDriving / driving.TotalSeconds;
        var wholeRate = log.Total / whole.TotalSeconds;
        var lagP99 = log.Lag.Percentile(0.99);
        var failed = drive.Failures.Values.Sum();

        figures.Add("requests in a terminal status", $"{Report.Number(terminal)} of {Report.Number(requests.Length)}", "all",
            Report.Verdict(terminal == requests.Length) + (settled ? "" : " (gave up waiting for deadlines)"));
        figures.Add("driver calls failed", Report.Number(failed), "none", Report.Verdict(failed == 0));
        figures.Add("status changes (event log / history)", $"{Report.Number(log.Total)} / {Report.Number(historyEntries)}", "equal",
            Report.Verdict(log.Total == historyEntries));
        figures.Add("of which timeouts (event log / history)", $"{Report.Number(log.Timeouts)} / {Report.Number(historyTimeouts)}", "equal",
            Report.Verdict(log.Timeouts == historyTimeouts));
        figures.Add("driving window (first creation → last driver done)",
            $"{Report.Decimal(driving.TotalSeconds, 1)} s, {Report.Number(log.WhileDriving)} status changes", "", "");
        figures.Add("**transitions/s while driving**", Report.Number(drivingRate), $"≥ {Report.Number(TargetTransitionsPerSecond)}",
            drivingRate >= TargetTransitionsPerSecond
                ? Report.Verdict(true)
                : $"{Report.Verdict(false)} ({Report.Decimal(100 * (1 - (drivingRate / TargetTransitionsPerSecond)), 0)}% short)");
        figures.Add("transitions/s whole run (to the last timeout)", $"{Report.Number(wholeRate)} over {Report.Decimal(whole.TotalSeconds, 1)} s",
            "", "");
        figures.Add("**deadline lag p50 / p99 / max**",
            $"{Report.Duration(log.Lag.Percentile(0.5))} / {Report.Duration(lagP99)} / {Report.Duration(log.Lag.Max())}", "p99 < 1 s",
            lagP99 < TargetLagP99Nanoseconds
                ? Report.Verdict(true)
                : $"{Report.Verdict(false)} (p99 {Report.Decimal(lagP99 / 1e9, 2)} s)");
        figures.Add("deadline lag p99, due while driving / after",
            $"{Report.Duration(log.LagDueWhileDriving.Percentile(0.99))} ({Report.Number(log.LagDueWhileDriving.Count)}) / "
                + $"{Report.Duration(log.LagDueAfter.Percentile(0.99))} ({Report.Number(log.LagDueAfter.Count)})", "", "");
        figures.Add("create call p50 / p99 (order read, seller settings, hold write, request write)",
            $"{Report.Duration(drive.Create.Percentile(0.5))} / {Report.Duration(drive.Create.Percentile(0.99))}", "", "");
        figures.Add("action call p50 / p99 (one write each)",
            $"{Report.Duration(drive.Action.Percentile(0.5))} / {Report.Duration(drive.Action.Percentile(0.99))}", "", "");
        figures.Add("bench process while driving: CPU, GC pauses (gen0/1/2 collections)",
            $"{Report.Decimal(drive.Cpu.TotalSeconds, 1)} s CPU in {Report.Decimal((drive.Ended - drive.Started).TotalSeconds, 1)} s "
                + $"on {Environment.ProcessorCount} cores; {Report.Decimal(drive.GcPause.TotalMilliseconds, 0)} ms paused "
                + $"({string.Join('/', drive.Collections)})", "", "");

        if (failed > 0)
        {
            Report.Facts(drive.Failures.OrderByDescending(f => f.Value).Take(20)
                .Select(f => $"Failed driver call: {f.Key} × {Report.Number(f.Value)}"));
        }
    }

    private static IEnumerable<(string Name, TimeSpan Value)> DeadlinesOf(ReturnsOptions options) =>
        typeof(ReturnDeadlines).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p.Name, (TimeSpan)p.GetValue(options.Deadlines)!));

    /// <summary>A step a driver takes: an action and, for a dispute decision, the side.</summary>
    private readonly record struct Step(ReturnAction Action, DisputeSide? Side = null);

    /// <summary>One lifecycle of the mix, with its share (of 100) and the final status it must reach.</summary>
    private sealed record Lifecycle(string Name, int Weight, bool Marketplace, ReturnStatus Final, IReadOnlyList<Step> Steps);

    private sealed record Request(
        int Index, Guid Id, Lifecycle Lifecycle, string OrderId, Guid CustomerId, Guid SellerId, Guid SellerAccountId, Guid ModeratorId,
        decimal Price);

    private sealed record DriveResult(
        DateTimeOffset Started, DateTimeOffset Ended, LatencyHistogram Create, LatencyHistogram Action,
        ConcurrentDictionary<string, int> Failures, TimeSpan Cpu, TimeSpan GcPause, int[] Collections);

    private sealed record TransitionLog(
        long Total, long WhileDriving, long Timeouts, DateTimeOffset First, DateTimeOffset Last, LatencyHistogram Lag,
        LatencyHistogram LagDueWhileDriving, LatencyHistogram LagDueAfter);
}
