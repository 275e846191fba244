using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;
using Orleans.Runtime;
using OzonActors.Bench.Cluster;
using OzonActors.Bench.Live;
using OzonActors.Grains.Returns;
using OzonActors.Returns;
using OzonActors.Testing;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// Failover when a silo process dies: PostgreSQL, three <c>Silo</c> processes and one client gateway, and --kills times a
/// silo (each in turn) killed with SIGKILL while at least --grains return requests are active on it and --deadlines
/// requests' New deadlines fall due about 3 s later. Measured from the kill: (a) until the victim's membership row says
/// Dead; (b) until every return request that was active on it answers a call again, half of them probed through the
/// client gateway's HTTP API and half through an Orleans client in the bench process; (c) how late each deadline's
/// automatic approval came after its due instant. Then the victim is started again (same ports) and is Active before the
/// next kill. At the end every acknowledged request is read back from <c>grain_state</c>: none may be missing.
/// </summary>
internal static class FailoverScenario
{
    private const int SiloCount = 3;
    private const int Customers = 4;
    private const int Sellers = 2;
    private const int SetupConcurrency = 16;

    /// <summary>Marketplace-processed (≤ 1,800 RUB): created straight into PartialCompensationOffered, whose deadline is days away.</summary>
    private const decimal ProbePrice = 1_000m;

    /// <summary>Seller-processed: stays New until its New deadline approves it.</summary>
    private const decimal DeadlinePrice = 5_000m;

    private const string ProbeStatus = nameof(ReturnStatus.PartialCompensationOffered);
    private const string DeadlineStatus = nameof(ReturnStatus.New);
    private const string TimedOutStatus = nameof(ReturnStatus.Approved);

    private static readonly TimeSpan DueAfterKill = TimeSpan.FromSeconds(3);

    /// <summary>Returns:Deadlines:New unless --set says otherwise: room to create the deadline requests before the kill.</summary>
    private static readonly TimeSpan DefaultNewDeadline = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan TargetDeath = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan TargetDirect = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TargetGateway = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan TargetLateness = TimeSpan.FromSeconds(6);

    public static async Task RunAsync(BenchArgs args)
    {
        Report.Header("failover: a silo killed with SIGKILL under three silos and a client gateway", args);
        var newDeadline = args.Settings.TryGetValue("Returns:Deadlines:New", out var given)
            && TimeSpan.TryParse(given, CultureInfo.InvariantCulture, out var parsed) ? parsed : DefaultNewDeadline;
        Report.Facts(
            $"Processes: PostgreSQL, {SiloCount} Silo processes and 1 client gateway (Gateway:Silo = Client), built in "
                + $"{ProjectBuild.Configuration} (dotnet build -c {ProjectBuild.Configuration} Silo/Silo.csproj and Gateway/Gateway.csproj run first); "
                + "an Orleans client in the bench process (AddOzonClusterClient) reads IManagementGrain and is the direct route",
            $"Per kill: the victim is silo (kill mod {SiloCount}) + 1. Return requests (marketplace-processed, so their status deadline "
                + $"is days away) are created through the gateway until IManagementGrain.GetDetailedGrainStatistics shows ≥ {Report.Number(args.Grains)} "
                + "of them active on the victim; those are the probed grains, alternately given to the two routes",
            $"Deadlines: Returns:Deadlines:New = {newDeadline:c} for the whole cluster; per kill {Report.Number(args.Deadlines)} seller-processed "
                + $"requests stay New, created so that their due instants (the dueAt of their 201) fall about {Report.Seconds(DueAfterKill)} s after the kill "
                + "(the kill waits for the first due instant − 3 s); "
                + $"Reminders:RetryPeriod = {(args.Settings.TryGetValue("Reminders:RetryPeriod", out var retry) ? retry : "00:00:05 (default)")}",
            "Measured from the SIGKILL: (a) the victim's row in orleansmembershiptable (its port and generation) polled every "
                + $"{PollInterval.TotalMilliseconds} ms until status 6 (Dead); (b) per probed grain, the first successful call: GET /api/returns/{{id}} "
                + $"with its customer's token (the gateway retries reads itself within Gateway:ClusterRetryBudget), or IReturnRequestGrain.GetAsync; "
                + $"all at once, each retried {RetryPause.TotalMilliseconds} ms after a failure, for up to {Report.Seconds(GiveUp)} s; "
                + "'healthy burst': the same probes just before the deadline requests are created (the cost of probing itself); "
                + "(c) lateness = the stamp of the request's ReturnStatusChanged event by System (taken when the grain applies the "
                + "timeout) − its due instant",
            "Lost: after the last kill, every request acknowledged with 201 is read from grain_state: it must exist, probed ones in "
                + $"{ProbeStatus}, deadline ones in {TimedOutStatus}");

        await ProjectBuild.BuildAsync("failover", "Silo", "Gateway");
        var kills = new List<KillResult>();
        var check = default(LedgerCheck);
        var saturation = default(Saturation?);
        await BenchCluster.WithDatabaseAsync(async connectionString =>
        {
            var settings = ScaledOutCluster.CommonSettings(connectionString,
                [new("Returns:Deadlines:New", newDeadline.ToString("c", CultureInfo.InvariantCulture)), .. args.Settings]);
            await using var cluster = await ScaledOutCluster.StartAsync("failover", connectionString, SiloCount, 1, settings);
            try
            {
                await using var client = await BenchClusterClient.ConnectAsync(settings);
                using var http = BenchApi.Client(cluster.Gateways[0].BaseAddress);
                Report.Progress("failover: logging customers and sellers in ...");
                var run = new Run(cluster, client, http, await BenchApi.LoginCustomersAsync(http, Customers),
                    await LiveSellers.CreateAsync(http, Sellers));
                for (var k = 0; k < args.Kills; k++)
                {
                    kills.Add(await KillOnceAsync(run, k, args));
                }

                check = await CheckLedgerAsync(run);
                if (args.Saturate > 0)
                {
                    saturation = await SaturateAsync(run, TimeSpan.FromSeconds(args.Saturate));
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"failover: the processes' last output:\n{cluster.Describe()}");
                throw;
            }
        });

        Print(kills, check, saturation);
    }

    /// <summary>
    /// Two busy loops per core (each a process of its own, so the silos compete with them) for <paramref name="duration"/>,
    /// while the membership table is watched: no silo incarnation that was Active at the start may turn Dead.
    /// </summary>
    private static async Task<Saturation> SaturateAsync(Run run, TimeSpan duration)
    {
        var loops = Environment.ProcessorCount * 2;
        Report.Progress($"failover: {loops} busy loops on {Environment.ProcessorCount} cores for {Report.Seconds(duration)} s ...");
        var watched = new List<(int Port, int Generation)>();
        foreach (var silo in run.Cluster.Silos)
        {
            if (await Membership.LatestAsync(run.Cluster.DataSource, run.Cluster.Schema, silo.SiloPort) is { Status: Membership.Active } latest)
            {
                watched.Add((silo.SiloPort, latest.Generation));
            }
        }

        var burners = Enumerable.Range(0, loops).Select(_ => Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!).ToList();
        var declaredDead = new HashSet<int>();
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                foreach (var (port, generation) in watched)
                {
                    if (await Membership.StatusAsync(run.Cluster.DataSource, run.Cluster.Schema, port, generation) == Membership.Dead)
                    {
                        declaredDead.Add(port);
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
        finally
        {
            foreach (var burner in burners)
            {
                burner.Kill();
                burner.Dispose();
            }
        }

        return new Saturation(loops, duration, watched.Count, declaredDead.Count);
    }

    private static async Task<KillResult> KillOnceAsync(Run run, int index, BenchArgs args)
    {
        var victim = run.Cluster.Silos[index % SiloCount];
        var name = run.Cluster.Name(victim);
        var address = await run.Client.FindSiloAsync(victim.SiloPort)
            ?? throw new InvalidOperationException($"The bench's client does not see {name} as active.");

        Report.Progress($"failover: kill {index + 1}: filling {name} with ≥ {Report.Number(args.Grains)} active return requests ...");
        var probes = await FillAsync(run, address, args.Grains);
        var (viaGateway, viaDirect) = Split(probes);
        var healthyGateway = await ProbeViaGatewayAsync(run, viaGateway, Stopwatch.GetTimestamp());
        var healthyDirect = await ProbeDirectAsync(run, viaDirect, Stopwatch.GetTimestamp());

        Report.Progress($"failover: kill {index + 1}: creating {Report.Number(args.Deadlines)} requests due after the kill ...");
        var deadlines = await CreateAsync(run, args.Deadlines, DeadlinePrice, DeadlineStatus);
        var generation = (await Membership.LatestAsync(run.Cluster.DataSource, run.Cluster.Schema, victim.SiloPort))?.Generation
            ?? throw new InvalidOperationException($"{name} has no membership row.");
        var firstDue = deadlines.Min(d => d.DueAt!.Value);
        var wait = firstDue - DueAfterKill - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        Report.Progress($"failover: kill {index + 1}: SIGKILL {name} with {Report.Number(probes.Count)} probed grains on it ...");
        var killedAt = DateTimeOffset.UtcNow;
        var from = Stopwatch.GetTimestamp();
        await victim.KillAsync();
        var death = WaitForDeathAsync(run, victim.SiloPort, generation, from);
        var gateway = ProbeViaGatewayAsync(run, viaGateway, from);
        var direct = ProbeDirectAsync(run, viaDirect, from);
        await Task.WhenAll(death, gateway, direct);

        Report.Progress($"failover: kill {index + 1}: waiting for the deadlines ...");
        var lateness = await WaitForTimeoutsAsync(run, deadlines);

        Report.Progress($"failover: kill {index + 1}: restarting {name} ...");
        var restarting = Stopwatch.GetTimestamp();
        await victim.RestartAsync();
        var active = await Membership.WaitForActiveAsync(
            run.Cluster.DataSource, run.Cluster.Schema, victim.SiloPort, generation, PollInterval, GiveUp)
            ?? throw new InvalidOperationException($"{name} was not Active again within {GiveUp.TotalSeconds} s of its restart.");
        var restart = Stopwatch.GetElapsedTime(restarting);
        Report.Progress($"failover: kill {index + 1}: {name} Active again (generation {active}) after {Report.Decimal(restart.TotalSeconds, 1)} s");

        return new KillResult(index + 1, name, await death, await gateway, await direct, healthyGateway, healthyDirect,
            deadlines.Select(d => d.DueAt!.Value - killedAt).ToArray(), lateness, restart);
    }

    /// <summary>
    /// Creates probe requests through the gateway until at least <paramref name="grains"/> of those created so far are active
    /// on the silo at <paramref name="victim"/>, in batches sized by the share a silo gets; answers those on it.
    /// </summary>
    private static async Task<List<Created>> FillAsync(Run run, SiloAddress victim, int grains)
    {
        var onVictim = await OnSiloAsync(run, victim);
        var made = 0;
        while (onVictim.Count < grains)
        {
            if (made > (20 * grains) + 1_000)
            {
                throw new InvalidOperationException(
                    $"{Report.Number(made)} requests created, only {Report.Number(onVictim.Count)} active on {victim}: placement avoids it.");
            }

            var batch = Math.Clamp((grains - onVictim.Count) * SiloCount, 32, 5_000);
            foreach (var request in await CreateAsync(run, batch, ProbePrice, ProbeStatus))
            {
                run.Probes[request.Id] = request;
            }

            made += batch;
            onVictim = await OnSiloAsync(run, victim);
            Report.Progress($"failover: {Report.Number(onVictim.Count)} probe requests active on {victim}");
        }

        return onVictim;
    }

    /// <summary>The probe requests active on <paramref name="silo"/>, as IManagementGrain lists its activations.</summary>
    private static async Task<List<Created>> OnSiloAsync(Run run, SiloAddress silo)
    {
        var statistics = await run.Client.Management.GetDetailedGrainStatistics(null, [silo]);
        return [.. statistics
            .Where(s => s.SiloAddress.Equals(silo) && s.GrainId.Type.ToString() == "return-request")
            .Select(s => s.GrainId.TryGetGuidKey(out var key, out _) && run.Probes.TryGetValue(key, out var probe) ? probe : null)
            .OfType<Created>()
            .OrderBy(c => c.Id)];
    }

    private static (List<Created> Gateway, List<Created> Direct) Split(List<Created> probes) =>
        ([.. probes.Where((_, i) => i % 2 == 0)], [.. probes.Where((_, i) => i % 2 == 1)]);

    /// <summary>Records a delivered order and creates a return request on it, <paramref name="count"/> times, through the gateway.</summary>
    private static async Task<List<Created>> CreateAsync(Run run, int count, decimal price, string expectedStatus)
    {
        var created = new ConcurrentBag<Created>();
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = SetupConcurrency }, async (i, _) =>
        {
            var customer = run.Customers[i % run.Customers.Count];
            var seller = run.Sellers[i % run.Sellers.Count];
            var orderId = $"failover-{Guid.NewGuid():N}";
            var order = await BenchApi.RecordOrderAsync(run.Http, BenchApi.Order(orderId, customer.OzonId, seller.CompanyId, price));
            if (!order.IsSuccess)
            {
                failures.AddOrUpdate($"order {(int)order.Status}", 1, (_, n) => n + 1);
                return;
            }

            var answer = await BenchApi.SendAsync(run.Http, HttpMethod.Post, "/api/returns", customer.AccessToken, BenchApi.Return(orderId));
            var status = answer.Body?["status"]?.GetValue<string>();
            if (answer.Status != HttpStatusCode.Created || status != expectedStatus)
            {
                failures.AddOrUpdate($"return {(int)answer.Status} {status}", 1, (_, n) => n + 1);
                return;
            }

            var request = new Created(answer.Body!["id"]!.GetValue<Guid>(), customer, status,
                answer.Body["dueAt"] is { } due ? due.GetValue<DateTimeOffset>() : null);
            run.Acknowledged[request.Id] = request;
            created.Add(request);
        });

        if (!failures.IsEmpty)
        {
            Report.Progress($"failover: setup calls failed: {string.Join(", ", failures.Select(f => $"{f.Key} × {f.Value}"))}");
        }

        return [.. created];
    }

    private static async Task<TimeSpan?> WaitForDeathAsync(Run run, int port, int generation, long from)
    {
        while (Stopwatch.GetElapsedTime(from) < GiveUp)
        {
            if (await Membership.StatusAsync(run.Cluster.DataSource, run.Cluster.Schema, port, generation) == Membership.Dead)
            {
                return Stopwatch.GetElapsedTime(from);
            }

            await Task.Delay(PollInterval);
        }

        return null;
    }

    /// <summary>Every probe at once through the gateway: GET /api/returns/{id} until a 200, retried after any other answer.</summary>
    private static Task<ProbeResult> ProbeViaGatewayAsync(Run run, IReadOnlyList<Created> probes, long from) =>
        ProbeAsync(probes, from, async probe =>
        {
            var answer = await BenchApi.SendAsync(run.Http, HttpMethod.Get, $"/api/returns/{probe.Id}", probe.Customer.AccessToken, null);
            return answer.Status == HttpStatusCode.OK ? null : ((int)answer.Status).ToString(CultureInfo.InvariantCulture);
        });

    /// <summary>Every probe at once through the bench's Orleans client: IReturnRequestGrain.GetAsync as its customer.</summary>
    private static Task<ProbeResult> ProbeDirectAsync(Run run, IReadOnlyList<Created> probes, long from) =>
        ProbeAsync(probes, from, async probe =>
        {
            await run.Client.Client.GetGrain<IReturnRequestGrain>(probe.Id).GetAsync(ReturnActor.Customer(probe.Customer.OzonId));
            return null;
        });

    /// <summary>
    /// Runs <paramref name="attempt"/> for every probe concurrently until it succeeds (answers null): the time from
    /// <paramref name="from"/> to each probe's first success, and the failed attempts by answer or exception.
    /// </summary>
    private static async Task<ProbeResult> ProbeAsync(IReadOnlyList<Created> probes, long from, Func<Created, Task<string?>> attempt)
    {
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var times = await Task.WhenAll(probes.Select(probe => Task.Run(async () =>
        {
            while (Stopwatch.GetElapsedTime(from) < GiveUp)
            {
                string? failure;
                try
                {
                    failure = await attempt(probe);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    failure = exception.GetType().Name;
                }

                if (failure is null)
                {
                    return (TimeSpan?)Stopwatch.GetElapsedTime(from);
                }

                failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
                await Task.Delay(RetryPause);
            }

            return null;
        })));
        return new ProbeResult(times, failures);
    }

    /// <summary>
    /// Waits until every deadline request's timeout is in the event log (or <see cref="GiveUp"/> after the last due instant)
    /// and answers each one's lateness: the event's stamp − its due instant (the timeout's history entry, carried as the
    /// event's request.updatedAt). Reading the log applies nothing; a read of the request would apply an overdue timeout.
    /// </summary>
    private static async Task<List<TimeSpan>> WaitForTimeoutsAsync(Run run, List<Created> deadlines)
    {
        var streams = deadlines.Select(d => LiveAudiences.Return(d.Id)).ToArray();
        var giveUpAt = deadlines.Max(d => d.DueAt!.Value) + GiveUp;
        var fired = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        while (true)
        {
            await using (var command = run.Cluster.DataSource.CreateCommand(
                $"SELECT stream, at, data -> 'request' ->> 'updatedAt' FROM \"{run.Cluster.Schema}\".events "
                + "WHERE type = $1 AND data ->> 'by' = $2 AND stream = ANY($3)"))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReturnRequestGrain.StatusChangedEvent });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = nameof(ReturnActorRole.System) });
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = streams });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var due = DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture);
                    fired.TryAdd(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1) - due);
                }
            }

            if (fired.Count == streams.Length)
            {
                break;
            }

            if (DateTimeOffset.UtcNow > giveUpAt)
            {
                Report.Progress($"failover: gave up with {streams.Length - fired.Count} of {streams.Length} deadlines not fired");
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return [.. fired.Values];
    }

    /// <summary>Every acknowledged request read back from grain_state (reading the rows applies nothing).</summary>
    private static async Task<LedgerCheck> CheckLedgerAsync(Run run)
    {
        await using var command = run.Cluster.DataSource.CreateCommand(
            $"SELECT state ->> 'id', state ->> 'status' FROM \"{run.Cluster.Schema}\".grain_state WHERE grain_type = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = BenchCluster.StateName(typeof(ReturnRequestGrain)) });
        var stored = new Dictionary<Guid, string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored[Guid.Parse(reader.GetString(0))] = reader.GetString(1);
            }
        }

        var missing = 0;
        var otherStatus = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var request in run.Acknowledged.Values)
        {
            var expected = request.Status == DeadlineStatus ? TimedOutStatus : request.Status;
            if (!stored.TryGetValue(request.Id, out var status))
            {
                missing++;
            }
            else if (status != expected)
            {
                var key = $"{request.Status} → {status}";
                otherStatus[key] = otherStatus.GetValueOrDefault(key) + 1;
            }
        }

        return new LedgerCheck(run.Acknowledged.Count, missing, otherStatus);
    }

    private static void Print(List<KillResult> kills, LedgerCheck check, Saturation? saturation)
    {
        var table = new MarkdownTable(
            "Kill", "Victim", "Probed (gateway / direct)", "Healthy burst (gateway / direct)", "Death declared",
            "Gateway: p50 / all answered", "Direct: p50 / all answered", "Failed attempts (gateway; direct)", "Due after kill",
            "Lateness p50 / max", "Restart → Active");
        foreach (var kill in kills)
        {
            table.Add(
                kill.Number.ToString(CultureInfo.InvariantCulture), kill.Victim,
                $"{Report.Number(kill.Gateway.Times.Length)} / {Report.Number(kill.Direct.Times.Length)}",
                $"{Seconds(kill.HealthyGateway.All)} / {Seconds(kill.HealthyDirect.All)}",
                Seconds(kill.Death),
                $"{Seconds(kill.Gateway.Median)} / {Seconds(kill.Gateway.All)}",
                $"{Seconds(kill.Direct.Median)} / {Seconds(kill.Direct.All)}",
                $"{kill.Gateway.DescribeFailures()}; {kill.Direct.DescribeFailures()}",
                kill.DueAfterKill.Length == 0 ? "—" : $"{Seconds(kill.DueAfterKill.Min())} – {Seconds(kill.DueAfterKill.Max())}",
                kill.Lateness.Count == 0 ? "—" : $"{Seconds(Percentile(kill.Lateness, 0.5))} / {Seconds(kill.Lateness.Max())}",
                Seconds(kill.Restart));
        }

        table.Print();

        var summary = new MarkdownTable("Measure", "p50", "p99", "max", "Target", "Result");
        AddOverKills(summary, "death declared (membership row Dead)", kills.Select(k => k.Death).ToList(), TargetDeath);
        AddOverKills(summary, "every grain answering again: direct Orleans client", kills.Select(k => k.Direct.All).ToList(), TargetDirect);
        AddOverKills(summary, "every grain answering again: through the client gateway", kills.Select(k => k.Gateway.All).ToList(), TargetGateway);
        var lateness = kills.SelectMany(k => k.Lateness).ToList();
        var expected = kills.Sum(k => k.DueAfterKill.Length);
        var allFired = lateness.Count == expected;
        summary.Add(
            $"overdue deadline fired after its due instant, pooled: {Report.Number(lateness.Count)} of {Report.Number(expected)} fired",
            Seconds(Percentile(lateness, 0.5)), Seconds(Percentile(lateness, 0.99)), Seconds(lateness.Count == 0 ? null : lateness.Max()),
            $"≤ {Report.Seconds(TargetLateness)} s", Report.Verdict(allFired && lateness.Count > 0 && lateness.Max() <= TargetLateness));
        var otherStatus = check.OtherStatus.Values.Sum();
        summary.Add(
            $"acknowledged requests lost, of {Report.Number(check.Acknowledged)} read back", "", "", Report.Number(check.Missing), "0",
            Report.Verdict(check.Missing == 0 && check.Acknowledged > 0));
        summary.Add(
            "acknowledged requests not in the expected status", "", "", Report.Number(otherStatus), "0",
            otherStatus == 0 ? Report.Verdict(true)
                : $"{Report.Verdict(false)} ({string.Join(", ", check.OtherStatus.Select(o => $"{o.Key} × {Report.Number(o.Value)}"))})");
        if (saturation is { } busy)
        {
            summary.Add(
                $"healthy silos declared dead under saturated CPU ({busy.Loops} busy loops on {Environment.ProcessorCount} cores, "
                    + $"{Report.Seconds(busy.Duration)} s, {busy.Watched} silos watched)",
                "", "", Report.Number(busy.DeclaredDead), "0", Report.Verdict(busy.DeclaredDead == 0 && busy.Watched > 0));
        }

        summary.Print();
    }

    private static void AddOverKills(MarkdownTable table, string measure, List<TimeSpan?> values, TimeSpan target)
    {
        var known = values.OfType<TimeSpan>().ToList();
        var all = known.Count == values.Count && values.Count > 0;
        table.Add(
            $"{measure}, {Report.Number(values.Count)} kills{(all ? "" : $" ({values.Count - known.Count} not within {Report.Seconds(GiveUp)} s)")}",
            Seconds(Percentile(known, 0.5)), Seconds(Percentile(known, 0.99)), Seconds(known.Count == 0 ? null : known.Max()),
            $"≤ {Report.Seconds(target)} s", Report.Verdict(all && known.Max() <= target));
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="quantile"/> of the values at or below it.</summary>
    private static TimeSpan? Percentile(IReadOnlyCollection<TimeSpan> values, double quantile)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static string Seconds(TimeSpan? span) => span is { } value ? $"{Report.Decimal(value.TotalSeconds, 2)} s" : "—";

    /// <summary>A request acknowledged with 201: its customer, the status it was acknowledged in and its due instant.</summary>
    private sealed record Created(Guid Id, ApiCustomer Customer, string Status, DateTimeOffset? DueAt);

    /// <summary>What one route's probes found: per probe, the time to its first success (null: not within the give-up time).</summary>
    private sealed record ProbeResult(TimeSpan?[] Times, ConcurrentDictionary<string, int> Failures)
    {
        /// <summary>When the last probe answered; null if one never did (or there were none).</summary>
        public TimeSpan? All => Times.Length > 0 && Times.All(t => t is not null) ? Times.Max() : null;

        public TimeSpan? Median => Percentile(Times.OfType<TimeSpan>().ToList(), 0.5);

        public string DescribeFailures() =>
            Failures.IsEmpty ? "0" : string.Join(", ", Failures.OrderByDescending(f => f.Value).Select(f => $"{f.Key} × {Report.Number(f.Value)}"));
    }

    private sealed record KillResult(
        int Number, string Victim, TimeSpan? Death, ProbeResult Gateway, ProbeResult Direct, ProbeResult HealthyGateway,
        ProbeResult HealthyDirect, TimeSpan[] DueAfterKill, List<TimeSpan> Lateness, TimeSpan Restart);

    private readonly record struct LedgerCheck(int Acknowledged, int Missing, Dictionary<string, int> OtherStatus);

    private readonly record struct Saturation(int Loops, TimeSpan Duration, int Watched, int DeclaredDead);

    /// <summary>The run's processes, clients and parties, and every request it created.</summary>
    private sealed record Run(
        ScaledOutCluster Cluster, BenchClusterClient Client, HttpClient Http, IReadOnlyList<ApiCustomer> Customers,
        IReadOnlyList<LiveSeller> Sellers)
    {
        /// <summary>Probe requests by id (the grains that may be found on a victim).</summary>
        public ConcurrentDictionary<Guid, Created> Probes { get; } = new();

        /// <summary>Every request acknowledged with 201.</summary>
        public ConcurrentDictionary<Guid, Created> Acknowledged { get; } = new();
    }
}
