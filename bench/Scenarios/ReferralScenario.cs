using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OzonActors.Grains.Referral;
using OzonActors.Grains;
using OzonActors.Referral;
using OzonActors.Persistence;
using OzonActors.Persistence.Configuration;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// Referral settlements on PostgreSQL: --count managers record one month's activity (a mix that settles as credited,
/// annulled, carried or nothing) on a <see cref="ShiftedClock"/> set inside that month; the cluster is restarted
/// (the weeks until the reward date leave no activation warm) and the clock jumps to the reward date's Moscow
/// midnight, so every manager's <c>settle:{month}</c> reminder is due at once. Judged: settlements per second, from
/// the due instant to the last settlement, with every manager settled exactly once and as its activity says.
/// </summary>
/// <remarks>
/// The settlements are delivered by Orleans' reminder service, which runs on the shifted clock too (BenchCluster gives it
/// the grains' clock), so each settle reminder is stored to start at the reward instant. A running reminder service
/// schedules a reminder as a timer of the real time left until then, which a later jump of the clock would not shorten;
/// so the clock jumps while no silo runs, to --lead seconds before the reward date's midnight, and the restarted silo's
/// reminder service reads the table and schedules every settlement for that one instant. Deadlines left are counted in
/// <c>grain_state.deadlines</c>, where the facet keeps them with the state.
/// </remarks>
internal static class ReferralScenario
{
    private const double TargetSettlementsPerSecond = 2_000;
    private const int ProgressSeconds = 5;

    /// <summary>The mix: 100 slots. Points 0 records no earning; spend 0 records no order.</summary>
    private static readonly Activity[] Mix =
    [
        new("Credited", "300–399 points, 3,000 RUB order placed and received", 50, 300, 3_000m),
        new("Annulled", "300–399 points, 1,500 RUB order (spend below 2,500)", 20, 300, 1_500m),
        new("Annulled", "200–299 points, no order", 10, 200, 0m),
        new("Carried", "60–99 points (below 100), 2,600 RUB order", 15, 60, 2_600m),
        new("Nothing", "no points, 3,000 RUB order", 5, 0, 3_000m),
    ];

    private static readonly string ManagerGrainType = BenchCluster.StateName(typeof(ReferralManagerGrain));

    public static async Task RunAsync(BenchArgs args)
    {
        Report.Header("referral: managers whose reward date falls at once, settled on PostgreSQL", args);
        var today = BusinessCalendar.DateOf(DateTimeOffset.UtcNow);
        var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var monthKey = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var recordingAt = BusinessCalendar.StartOf(month.AddDays(24)).AddHours(12);
        var managers = Plan(args.Count);
        Report.Facts(
            "Runtime: an Orleans 10 silo in the bench process on PostgreSQL (UseOzonClustering + AddOzonGrains, Referral options bound "
                + "from the settings); the clock is the system clock shifted by an offset (bench/ShiftedClock.cs), which runs at real speed; "
                + "Orleans' reminder service fires the settlements",
            $"Setup (not measured as settlement): the clock is set to {recordingAt:yyyy-MM-dd HH:mm zzz}; {Report.Number(managers.Length)} managers "
                + $"record {monthKey}'s activity (RecordEarningAsync, RecordOrderAsync placed + received, one write each) with "
                + $"{args.Callers} concurrent callers; each first use of the month sets the reminder settle:{monthKey}",
            "Then the silo is stopped, the clock jumps to "
                + $"{Report.Seconds(args.Lead)} s before the reward date's Moscow midnight, and a silo starts again on the same database and "
                + "service id (no activation is warm weeks later); its reminder service (on the shifted clock, as the grains) reads the "
                + "reminders at start: every settle reminder is due at that one instant",
            "Settlements/s = managers settled ÷ (last ReferralMonthSettled event's stamp − the due instant); stamps are taken on the "
                + "shifted clock, which runs at real speed after the jump; checked against each manager's stored settlement");

        var outcomes = new MarkdownTable("Activity", "Share", "Managers", "Writes each", "Expected", "Settled so (state)", "Settled events");
        var figures = new MarkdownTable("Measure", "Figure", "Target", "Result");
        var clock = new ShiftedClock();
        await BenchCluster.WithDatabaseAsync(async connectionString =>
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            clock.Set(recordingAt);
            DateTimeOffset reward;
            string schema;
            var serviceId = BenchCluster.NewServiceId();
            await using (var cluster = await BenchCluster.StartAsync(args.Settings, connectionString, clock: clock, serviceId: serviceId))
            {
                schema = BenchCluster.Schema(cluster.Services);
                var options = cluster.Services.GetRequiredService<IOptions<ReferralOptions>>().Value;
                reward = cluster.Services.GetRequiredService<ProductionCalendar>().RewardInstant(month, options.RewardDay);
                Report.Facts(
                    $"Month {monthKey}: reward date {reward:yyyy-MM-dd HH:mm zzz} (day {options.RewardDay} of the next month, moved to a working day); "
                        + $"MinMonthlySpend={options.MinMonthlySpend}, MinAccrualPoints={options.MinAccrualPoints}",
                    BenchCluster.DescribeReminders(cluster.Services));
                await RecordAsync(cluster.GrainFactory, managers, month, args.Callers);
            }

            var due = await CountRemindersAsync(dataSource, schema, $"settle:{monthKey}");
            var (registered, firstStart, lastStart) = await ReadOrleansRemindersAsync(dataSource, schema, serviceId, $"settle:{monthKey}");
            Report.Facts($"{Report.Number(due)} settle:{monthKey} deadlines stored (grain_state) before the jump; {Report.Number(registered)} "
                + $"Orleans reminders, starting {firstStart:yyyy-MM-dd HH:mm:ss.fff zzz} … {lastStart:yyyy-MM-dd HH:mm:ss.fff zzz}");

            // The jump, while no silo runs: the clock reads the reward instant at dueAt.
            var dueAt = DateTimeOffset.UtcNow + args.Lead;
            var jump = reward - dueAt - clock.Offset;
            clock.SetOffset(reward - dueAt);

            var siloStarting = DateTimeOffset.UtcNow;
            await using (var cluster = await BenchCluster.StartAsync(args.Settings, connectionString, clock: clock, serviceId: serviceId))
            {
                var siloReady = DateTimeOffset.UtcNow;
                Report.Facts($"Jumped {Report.Decimal(jump.TotalDays, 2)} days; the silo started in "
                    + $"{Report.Decimal((siloReady - siloStarting).TotalSeconds, 1)} s, "
                    + (siloReady <= dueAt
                        ? $"{Report.Decimal((dueAt - siloReady).TotalSeconds, 1)} s before the due instant"
                        : $"**{Report.Decimal((siloReady - dueAt).TotalSeconds, 1)} s after the due instant** (raise --lead)"));
                if (dueAt > DateTimeOffset.UtcNow)
                {
                    await Task.Delay(dueAt - DateTimeOffset.UtcNow);
                }

                var usage = await ProcessUsage.StartAsync(dataSource);
                var left = await WaitForSettlementsAsync(dataSource, schema, $"settle:{monthKey}", due,
                    TimeSpan.FromSeconds(Math.Max(120, managers.Length / 200.0)));
                var settledUsage = usage.Describe();
                var events = await ReadSettledEventsAsync(dataSource, schema);
                var states = await ReadStoredOutcomesAsync(dataSource, schema, monthKey);
                var carriedOn = await CountRemindersAsync(dataSource, schema, $"settle:{month.AddMonths(1):yyyy-MM}");
                Summarize(managers, reward, left, events, states, carriedOn, settledUsage, outcomes, figures);
            }
        });

        outcomes.Print();
        figures.Print();
    }

    /// <summary>The managers in run order: slot <c>i % 100</c> of the mix, visited with a stride so activities interleave.</summary>
    private static Manager[] Plan(int count)
    {
        var slots = Mix.SelectMany(activity => Enumerable.Repeat(activity, activity.Weight)).ToArray();
        return [.. Enumerable.Range(0, count).Select(i => new Manager(i, Guid.NewGuid(), slots[(i * 37) % slots.Length]))];
    }

    private static async Task RecordAsync(IGrainFactory grains, Manager[] managers, DateOnly month, int callers)
    {
        var writes = managers.Sum(m => m.Activity.Writes);
        Report.Progress($"referral: recording the month of {Report.Number(managers.Length)} managers ({Report.Number(writes)} writes) ...");
        var earnedAt = BusinessCalendar.StartOf(month.AddDays(19)).AddHours(10);
        var placedAt = BusinessCalendar.StartOf(month.AddDays(9)).AddHours(11);
        var receivedAt = BusinessCalendar.StartOf(month.AddDays(13)).AddHours(15);
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        var running = Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < managers.Length)
            {
                var manager = managers[i];
                var grain = grains.GetGrain<IReferralManagerGrain>(manager.Id);
                var activity = manager.Activity;
                var offset = TimeSpan.FromSeconds(i % 3_600);
                if (activity.Points > 0)
                {
                    await grain.RecordEarningAsync(new ReferralEarning(
                        $"bench-earning-{i:D7}", manager.Id, activity.Points + (i % (activity.Points >= 100 ? 100 : 40)), earnedAt + offset));
                }

                if (activity.Spend > 0)
                {
                    ReferralOrderItem[] items = [new(activity.Spend, ReferralItemKind.Regular)];
                    foreach (var (status, at) in new[] { (ReferralOrderStatus.Placed, placedAt), (ReferralOrderStatus.Received, receivedAt) })
                    {
                        await grain.RecordOrderAsync(new ReferralOrderEvent(
                            $"bench-order-{i:D7}", manager.Id, status, at + offset, items, 0m, 0m, 0m, LegalEntity: false));
                    }
                }
            }
        })));
        while (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(ProgressSeconds))) != running)
        {
            Report.Progress($"referral: {Report.Number(Math.Min(managers.Length, Volatile.Read(ref next)))} of {Report.Number(managers.Length)} managers recorded");
        }

        await running;
        var elapsed = Stopwatch.GetElapsedTime(started);
        Report.Facts($"Recorded {Report.Number(managers.Length)} managers' month, {Report.Number(writes)} writes, in "
            + $"{Report.Decimal(elapsed.TotalSeconds, 1)} s ({Report.Number(writes / elapsed.TotalSeconds)} writes/s)");
    }

    /// <summary>Managers holding the deadline <paramref name="name"/>, as the facet keeps it: in <c>grain_state.deadlines</c>.</summary>
    private static async Task<long> CountRemindersAsync(NpgsqlDataSource dataSource, string schema, string name)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM \"{schema}\".grain_state WHERE grain_type = $1 AND deadlines ? $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ManagerGrainType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Orleans reminders named <paramref name="name"/> of the service: how many, and their first and last start times.</summary>
    private static async Task<(long Count, DateTimeOffset? First, DateTimeOffset? Last)> ReadOrleansRemindersAsync(
        NpgsqlDataSource dataSource, string schema, string serviceId, string name)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT count(*), min(starttime), max(starttime) FROM \"{schema}\".orleansreminderstable WHERE serviceid = $1 AND remindername = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
    }

    /// <summary>Polls the month's settle deadlines until none is left (each is deleted in its settlement's write) or the time is up.</summary>
    private static async Task<long> WaitForSettlementsAsync(NpgsqlDataSource dataSource, string schema, string name, long due, TimeSpan patience)
    {
        var started = Stopwatch.GetTimestamp();
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            var left = await CountRemindersAsync(dataSource, schema, name);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (left == 0 || elapsed > patience)
            {
                return left;
            }

            if (elapsed - lastReport >= TimeSpan.FromSeconds(ProgressSeconds))
            {
                Report.Progress($"referral: {Report.Number(due - left)} of {Report.Number(due)} settled after {Report.Decimal(elapsed.TotalSeconds, 0)} s "
                    + $"({Report.Number((due - left) / elapsed.TotalSeconds)}/s)");
                lastReport = elapsed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static async Task<List<SettledEvent>> ReadSettledEventsAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT stream, at, data ->> 'outcome', data ->> 'month' FROM \"{schema}\".events WHERE type = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReferralManagerGrain.SettledEvent });
        var events = new List<SettledEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(new SettledEvent(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3)));
        }

        return events;
    }

    /// <summary>Each manager's stored settlement outcome of <paramref name="monthKey"/> (null while unsettled), by manager id.</summary>
    private static async Task<Dictionary<Guid, string?>> ReadStoredOutcomesAsync(NpgsqlDataSource dataSource, string schema, string monthKey)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT grain_key, state -> 'months' -> $2 -> 'settlement' ->> 'outcome' FROM \"{schema}\".grain_state WHERE grain_type = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ManagerGrainType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = monthKey });
        var outcomes = new Dictionary<Guid, string?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            outcomes[Guid.Parse(reader.GetString(0))] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        return outcomes;
    }

    private static void Summarize(
        Manager[] managers, DateTimeOffset reward, long left, List<SettledEvent> events, Dictionary<Guid, string?> states, long carriedOn,
        string usage, MarkdownTable outcomes, MarkdownTable figures)
    {
        var eventsByManager = events.GroupBy(e => Guid.Parse(e.Stream["referral:".Length..]))
            .ToDictionary(g => g.Key, g => g.ToList());
        foreach (var activity in Mix)
        {
            var group = managers.Where(m => m.Activity == activity).ToArray();
            var asState = group.Count(m => states.GetValueOrDefault(m.Id) == activity.Expected);
            var asEvents = group.Count(m => eventsByManager.TryGetValue(m.Id, out var e) && e is [{ } only] && only.Outcome == activity.Expected);
            outcomes.Add(activity.Description, $"{activity.Weight} %", Report.Number(group.Length), Report.Number(activity.Writes), activity.Expected,
                asState == group.Length ? Report.Number(asState) : $"{Report.Number(asState)} (**{Report.Number(group.Length - asState)} not**)",
                asEvents == group.Length ? Report.Number(asEvents) : $"{Report.Number(asEvents)} (**{Report.Number(group.Length - asEvents)} not**)");
        }

        var settledOnce = managers.Count(m => eventsByManager.TryGetValue(m.Id, out var e) && e.Count == 1);
        var never = managers.Count(m => !eventsByManager.ContainsKey(m.Id));
        var twice = managers.Count(m => eventsByManager.TryGetValue(m.Id, out var e) && e.Count > 1);
        var matching = managers.Count(m => states.GetValueOrDefault(m.Id) == m.Activity.Expected);
        var carried = managers.Count(m => m.Activity.Expected == "Carried");
        var stamps = events.Select(e => e.At).Order().ToArray();
        var sinceDue = stamps.Select(at => at - reward).ToArray();
        var last = sinceDue.Length > 0 ? sinceDue[^1] : TimeSpan.Zero;
        var rate = last > TimeSpan.Zero ? stamps.Length / last.TotalSeconds : 0;
        var steady = stamps.Length > 1 ? stamps.Length / (stamps[^1] - stamps[0]).TotalSeconds : 0;

        figures.Add("managers settled exactly once (one ReferralMonthSettled event each)",
            $"{Report.Number(settledOnce)} of {Report.Number(managers.Length)}", "all",
            Report.Verdict(settledOnce == managers.Length) + (never + twice > 0 ? $" ({Report.Number(never)} never, {Report.Number(twice)} more than once)" : ""));
        figures.Add("stored settlement as the activity says", $"{Report.Number(matching)} of {Report.Number(managers.Length)}", "all",
            Report.Verdict(matching == managers.Length));
        figures.Add("settle reminders left / carried into the next month's reminder",
            $"{Report.Number(left)} / {Report.Number(carriedOn)} (carried {Report.Number(carried)})", "0 / equal",
            Report.Verdict(left == 0 && carriedOn == carried));
        if (sinceDue.Length > 0)
        {
            figures.Add("due → first / half / 99 % / last settled",
                $"{Report.Decimal(sinceDue[0].TotalSeconds, 2)} s / {Report.Decimal(sinceDue[sinceDue.Length / 2].TotalSeconds, 1)} s / "
                    + $"{Report.Decimal(sinceDue[(int)(sinceDue.Length * 0.99)].TotalSeconds, 1)} s / **{Report.Decimal(last.TotalSeconds, 1)} s**", "", "");
        }

        figures.Add("**settlements/s** (from the due instant)", Report.Number(rate), $"≥ {Report.Number(TargetSettlementsPerSecond)}",
            rate >= TargetSettlementsPerSecond
                ? Report.Verdict(true)
                : $"{Report.Verdict(false)} ({Report.Decimal(100 * (1 - (rate / TargetSettlementsPerSecond)), 0)}% short)");
        figures.Add("settlements/s between the first and the last", Report.Number(steady), "", "");
        figures.Add("CPU from the due instant until the last settle deadline was gone", usage, "", "");
    }

    /// <summary>One activity of the mix: what a manager records in the month and the outcome it must settle to.</summary>
    private sealed record Activity(string Expected, string Description, int Weight, long Points, decimal Spend)
    {
        public int Writes => (Points > 0 ? 1 : 0) + (Spend > 0 ? 2 : 0);
    }

    private sealed record Manager(int Index, Guid Id, Activity Activity);

    private sealed record SettledEvent(string Stream, DateTimeOffset At, string Outcome, string Month);
}
