using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Runtime;
using OzonActors.Bench.Grains;
using OzonActors.Persistence;
using OzonActors.Persistence.Configuration;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// Deadlines on PostgreSQL fired by Orleans' own reminder service on the system clock. Two phases of --count deadlines,
/// one per grain: "spread" (due evenly over --spread seconds, default one minute), where the lag is judged, and
/// "backlog" (all due at the same instant), where the delivery throughput is judged.
/// </summary>
/// <remarks>
/// The old runtime's reminder loop read its own table; with Orleans, a deadline is a row of <c>grain_state.deadlines</c>
/// (the truth, written with the state) plus an Orleans reminder (<c>orleansreminderstable</c>) that ticks at the due
/// instant. Each phase binary-COPYs both for its grains, exactly as the facet writes them (checked against the live
/// tables first), and then starts a fresh silo on the same service id: its reminder service reads the table at start,
/// as after a restart, and every delivery activates a cold grain (state read, reminders listed) that handles the
/// deadline with one write and then unregisters the reminder. Handled deadlines are counted by the grains themselves
/// (<see cref="ReminderProbe"/>), once their write committed.
/// </remarks>
internal static class RemindersScenario
{
    private const double TargetFiresPerSecond = 2_000;
    private const long TargetLagP99Nanoseconds = 1_000_000_000;
    private const string DeadlineName = "due";

    /// <summary>The columns of <c>grain_state</c> (migrations 0001 and 0009) the seeding writes.</summary>
    private static readonly string[] StateColumns = ["grain_type", "grain_key", "version", "state", "updated_at", "deadlines"];

    /// <summary>The columns of Orleans' reminder table (migration 0008) the seeding writes.</summary>
    private static readonly string[] ReminderColumns = ["serviceid", "grainid", "remindername", "starttime", "period", "grainhash", "version"];

    private const string GrainType = BenchReminderGrain.GrainTypeName;

    private static readonly string StateName = BenchCluster.StateName(typeof(BenchReminderGrain));

    public static async Task RunAsync(BenchArgs args)
    {
        Report.Header("reminders: due deadlines fired by Orleans reminders on PostgreSQL", args);
        Report.Facts(
            "Runtime: an Orleans 10 silo in the bench process on PostgreSQL (ADO.NET clustering and reminders), system clock; Orleans' "
                + "reminder service fires the deadlines",
            $"Seeding: per phase, {Report.Number(args.Count)} deadlines, one per grain, binary-COPYed as the facet writes them: a grain_state "
                + $"row with deadlines {{\"{DeadlineName}\": dueAt}} and an orleansreminderstable row (start = dueAt, period = the retry period); "
                + "then a fresh silo starts on the same service id, so its reminder service reads them at start and each delivery "
                + "activates a cold grain",
            "Handler: records lag = now − dueAt, then WriteStateAsync (the write consumes the deadline; the reminder is unregistered "
                + "after it); a fire counts once that write committed, counted by the grains themselves",
            "Fires/s = fired / (last fire − max(first due instant, silo started)). Lag is judged in the spread phase, fires/s in the "
                + "backlog phase (in the spread phase it can only echo the offered rate)");

        var table = new MarkdownTable(
            "Phase", "Reminders", "Due over", "Offered/s", "Fired", "Fires/s", "Lag p50", "Lag p99", "Lag max", "Target", "Result");
        var probe = new ReminderProbe();
        await BenchCluster.WithDatabaseAsync(async connectionString =>
        {
            var serviceId = BenchCluster.NewServiceId();
            string schema;
            TimeSpan period;

            // A first silo applies the migrations, which create the tables the phases seed.
            await using (var silo = await StartAsync(args, connectionString, probe, serviceId))
            {
                schema = BenchCluster.Schema(silo.Services);
                period = silo.Services.GetRequiredService<IOptions<DeadlineOptions>>().Value.RetryPeriod;
                Report.Facts(BenchCluster.DescribeReminders(silo.Services));
            }

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await CheckColumnsAsync(dataSource, schema, "grain_state", StateColumns);
            await CheckColumnsAsync(dataSource, schema, "orleansreminderstable", ReminderColumns);
            var context = new Phase(args, probe, dataSource, connectionString, schema, serviceId, period);
            await RunPhaseAsync(table, context, "spread", args.Spread);
            await RunPhaseAsync(table, context, "backlog", TimeSpan.Zero);
        });
        table.Print();
    }

    private static Task<BenchSilo> StartAsync(BenchArgs args, string connectionString, ReminderProbe probe, string serviceId) =>
        BenchCluster.StartAsync(args.Settings, connectionString, s => s.AddSingleton(probe), serviceId: serviceId);

    private static async Task RunPhaseAsync(MarkdownTable table, Phase context, string phase, TimeSpan spread)
    {
        var (args, probe, dataSource) = (context.Args, context.Probe, context.DataSource);
        var count = args.Count;
        probe.Reset(count);
        var seeding = DateTimeOffset.UtcNow;
        var firstDue = seeding + args.Lead;
        Report.Progress($"reminders: seeding the {phase} phase ...");
        await SeedAsync(context, phase, count, firstDue, spread);
        var seeded = DateTimeOffset.UtcNow;

        Report.Progress($"reminders: starting a silo for the {phase} phase ...");
        await using var silo = await StartAsync(args, context.ConnectionString, probe, context.ServiceId);
        var siloStarted = DateTimeOffset.UtcNow;
        var start = siloStarted > firstDue ? siloStarted : firstDue;

        var deadline = firstDue + spread + TimeSpan.FromSeconds(Math.Max(60, count / 200.0));
        while (!probe.Done.IsCompleted && DateTimeOffset.UtcNow < deadline)
        {
            await Task.WhenAny(probe.Done, Task.Delay(TimeSpan.FromSeconds(5)));
            Report.Progress($"reminders: {phase}: {Report.Number(probe.Fired)} of {Report.Number(count)} fired");
        }

        var fired = probe.Fired;
        var lags = probe.Lags;
        var elapsed = probe.LastFiredAt - start;
        var firesPerSecond = fired == 0 || elapsed <= TimeSpan.Zero ? 0 : fired / elapsed.TotalSeconds;
        var offered = spread > TimeSpan.Zero ? count / spread.TotalSeconds : double.PositiveInfinity;
        var (deadlinesLeft, remindersLeft) = await CountLeftAsync(context, phase);
        Report.Facts($"{phase}: seeded in {Report.Decimal((seeded - seeding).TotalSeconds, 1)} s, silo started "
            + $"{Report.Decimal((siloStarted - seeded).TotalSeconds, 1)} s later"
            + (siloStarted > firstDue ? $" (ready {Report.Decimal((siloStarted - firstDue).TotalSeconds, 1)} s after the first due instant; raise --lead)" : "")
            + $"; afterwards {Report.Number(deadlinesLeft)} of its deadlines left in grain_state, {Report.Number(remindersLeft)} of its "
            + "reminders in orleansreminderstable");

        // The spread phase's fires/s can only echo its offered rate, and the backlog phase's lag is queueing by design.
        string target;
        var misses = new List<string>();
        if (spread > TimeSpan.Zero)
        {
            target = "lag p99 < 1 s";
            if (lags.Percentile(0.99) >= TargetLagP99Nanoseconds)
            {
                misses.Add($"lag p99 {Report.Decimal(lags.Percentile(0.99) / 1e9, 2)} s");
            }
        }
        else
        {
            target = $"≥ {Report.Number(TargetFiresPerSecond)} fires/s";
            if (firesPerSecond < TargetFiresPerSecond)
            {
                misses.Add($"fires/s {Report.Decimal(100 * (1 - (firesPerSecond / TargetFiresPerSecond)), 0)}% short");
            }
        }

        if (fired < count)
        {
            misses.Add($"timed out with {Report.Number(count - fired)} not fired");
        }

        table.Add(
            phase,
            Report.Number(count),
            spread > TimeSpan.Zero ? $"{Report.Seconds(spread)} s" : "one instant",
            double.IsInfinity(offered) ? "all at once" : Report.Number(offered),
            Report.Number(fired),
            Report.Number(firesPerSecond),
            Report.Duration(lags.Percentile(0.5)),
            Report.Duration(lags.Percentile(0.99)),
            Report.Duration(lags.Max()),
            target,
            misses.Count == 0 ? Report.Verdict(true) : $"{Report.Verdict(false)} ({string.Join("; ", misses)})");
    }

    /// <summary>The grain states (with their deadline) and the Orleans reminders of one phase, as the facet would write them.</summary>
    private static async Task SeedAsync(Phase context, string phase, int count, DateTimeOffset firstDue, TimeSpan spread)
    {
        var stateJson = JsonSerializer.Serialize(new BenchReminderState(), GrainJson.Options);
        var now = DateTimeOffset.UtcNow;
        var dues = Enumerable.Range(0, count).Select(i => (firstDue + (spread * ((double)i / count))).ToUniversalTime()).ToArray();
        await using (var connection = await context.DataSource.OpenConnectionAsync())
        await using (var writer = await connection.BeginBinaryImportAsync(
            $"COPY \"{context.Schema}\".grain_state ({string.Join(", ", StateColumns)}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                var deadlines = JsonSerializer.Serialize(new Dictionary<string, DateTimeOffset> { [DeadlineName] = dues[i] }, GrainJson.Options);
                await writer.StartRowAsync();
                await writer.WriteAsync(StateName, NpgsqlDbType.Text);
                await writer.WriteAsync(Key(phase, i), NpgsqlDbType.Text);
                await writer.WriteAsync(1L, NpgsqlDbType.Bigint);
                await writer.WriteAsync(stateJson, NpgsqlDbType.Jsonb);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(deadlines, NpgsqlDbType.Jsonb);
            }

            await writer.CompleteAsync();
        }

        await using (var connection = await context.DataSource.OpenConnectionAsync())
        await using (var writer = await connection.BeginBinaryImportAsync(
            $"COPY \"{context.Schema}\".orleansreminderstable ({string.Join(", ", ReminderColumns)}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                // As the ADO.NET reminder table stores a registration: GrainId's text, its uniform hash as a signed int.
                var grainId = GrainId.Create(GrainType, Key(phase, i));
                await writer.StartRowAsync();
                await writer.WriteAsync(context.ServiceId, NpgsqlDbType.Varchar);
                await writer.WriteAsync(grainId.ToString(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(DeadlineName, NpgsqlDbType.Varchar);
                await writer.WriteAsync(dues[i], NpgsqlDbType.TimestampTz);
                await writer.WriteAsync((long)context.Period.TotalMilliseconds, NpgsqlDbType.Bigint);
                await writer.WriteAsync(unchecked((int)grainId.GetUniformHashCode()), NpgsqlDbType.Integer);
                await writer.WriteAsync(0, NpgsqlDbType.Integer);
            }

            await writer.CompleteAsync();
        }
    }

    /// <summary>Bulk seeding is only valid while the live tables have exactly the columns the bench writes.</summary>
    private static async Task CheckColumnsAsync(NpgsqlDataSource dataSource, string schema, string tableName, string[] columns)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tableName });
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }

        if (!found.Order(StringComparer.Ordinal).SequenceEqual(columns.Order(StringComparer.Ordinal)))
        {
            throw new InvalidOperationException(
                $"{schema}.{tableName} has columns ({string.Join(", ", found)}), not the ({string.Join(", ", columns)}) the bench seeds; "
                + "update RemindersScenario to the current migrations.");
        }
    }

    /// <summary>The phase's deadlines still held in grain_state, and its reminders still in Orleans' table.</summary>
    private static async Task<(long Deadlines, long Reminders)> CountLeftAsync(Phase context, string phase)
    {
        await using var deadlines = context.DataSource.CreateCommand(
            $"SELECT count(*) FROM \"{context.Schema}\".grain_state WHERE grain_type = $1 AND grain_key LIKE $2 AND deadlines ? $3");
        deadlines.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StateName });
        deadlines.Parameters.Add(new NpgsqlParameter<string> { TypedValue = phase + "-%" });
        deadlines.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DeadlineName });
        await using var reminders = context.DataSource.CreateCommand(
            $"SELECT count(*) FROM \"{context.Schema}\".orleansreminderstable WHERE serviceid = $1 AND grainid LIKE $2");
        reminders.Parameters.Add(new NpgsqlParameter<string> { TypedValue = context.ServiceId });
        reminders.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{GrainType}/{phase}-%" });
        return ((long)(await deadlines.ExecuteScalarAsync())!, (long)(await reminders.ExecuteScalarAsync())!);
    }

    private static string Key(string phase, int i) => $"{phase}-{i:D6}";

    private sealed record Phase(
        BenchArgs Args, ReminderProbe Probe, NpgsqlDataSource DataSource, string ConnectionString, string Schema, string ServiceId,
        TimeSpan Period);
}
