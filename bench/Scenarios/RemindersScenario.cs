using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OzonActors.Bench.Grains;
using OzonActors.Persistence;
using OzonActors.Persistence.Configuration;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// Reminders on PostgreSQL fired by the real reminder loop on the system clock. Two phases of --count reminders,
/// one per grain: "spread" (due evenly over --spread seconds, default one minute), where the lag is judged, and
/// "backlog" (all due at the same instant), where the delivery throughput is judged.
/// </summary>
internal static class RemindersScenario
{
    private const double TargetFiresPerSecond = 2_000;
    private const long TargetLagP99Nanoseconds = 1_000_000_000;

    /// <summary>The columns of <c>reminders</c> in Runtime/Storage/Postgres/Migrations/0001_initial.sql.</summary>
    private static readonly string[] Columns = ["grain_type", "grain_key", "name", "due_at", "available_at", "id", "attempts"];

    public static async Task RunAsync(BenchArgs args)
    {
        Report.Header("reminders: due reminders fired from PostgreSQL", args);
        Report.Facts(
            "Runtime: TestCluster on PostgreSQL with the system clock; the runtime's own reminder loop fires the reminders",
            $"Seeding: per phase, {Report.Number(args.Count)} reminders, one per grain (cold activations), binary-COPYed into "
                + "<schema>.reminders with the columns of 0001_initial.sql (checked against the live table first)",
            "Handler: records lag = now − dueAt, then WriteStateAsync (state insert + reminder acknowledgement in one transaction); "
                + "a fire counts once that write committed",
            "Fires/s = fired / (last fire − first due instant). Lag is judged in the spread phase, fires/s in the backlog phase "
                + "(in the spread phase it can only echo the offered rate)");

        var table = new MarkdownTable(
            "Phase", "Reminders", "Due over", "Offered/s", "Fired", "Fires/s", "Lag p50", "Lag p99", "Lag max", "Target", "Result");
        var probe = new ReminderProbe();
        await BenchCluster.WithDatabaseAsync(async connectionString =>
        {
            await using var cluster = await BenchCluster.StartAsync(args.Settings, connectionString, s => s.AddSingleton(probe));
            var schema = cluster.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Schema;
            var options = cluster.Services.GetRequiredService<IOptions<ReminderOptions>>().Value;
            Report.Facts($"Reminder options: BatchSize={options.BatchSize}, MaxConcurrentDeliveries={options.MaxConcurrentDeliveries}, "
                + $"PollInterval={options.PollInterval}, LeaseDuration={options.LeaseDuration}");

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await CheckColumnsAsync(dataSource, schema);
            await RunPhaseAsync(table, args, probe, dataSource, schema, "spread", args.Spread);
            await RunPhaseAsync(table, args, probe, dataSource, schema, "backlog", TimeSpan.Zero);
        });
        table.Print();
    }

    private static async Task RunPhaseAsync(
        MarkdownTable table, BenchArgs args, ReminderProbe probe, NpgsqlDataSource dataSource, string schema, string phase, TimeSpan spread)
    {
        var count = args.Count;
        probe.Reset(count);
        var seeding = DateTimeOffset.UtcNow;
        var firstDue = seeding + args.Lead;
        Report.Progress($"reminders: seeding the {phase} phase ...");
        await SeedAsync(dataSource, schema, phase, count, firstDue, spread);
        var seeded = DateTimeOffset.UtcNow;
        var start = seeded > firstDue ? seeded : firstDue;

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
        var left = await CountLeftAsync(dataSource, schema, phase);
        Report.Facts($"{phase}: seeded in {Report.Decimal((seeded - seeding).TotalSeconds, 1)} s"
            + (seeded > firstDue ? $" (ended {Report.Decimal((seeded - firstDue).TotalSeconds, 1)} s after the first due instant; raise --lead)" : "")
            + $"; {Report.Number(left)} of its reminders left in the table afterwards");

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

    private static async Task SeedAsync(
        NpgsqlDataSource dataSource, string schema, string phase, int count, DateTimeOffset firstDue, TimeSpan spread)
    {
        var grainType = typeof(BenchReminderGrain).GetCustomAttribute<GrainTypeAttribute>()!.Name;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY \"{schema}\".reminders ({string.Join(", ", Columns)}) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < count; i++)
        {
            var due = (firstDue + (spread * ((double)i / count))).ToUniversalTime();
            await writer.StartRowAsync();
            await writer.WriteAsync(grainType, NpgsqlDbType.Text);
            await writer.WriteAsync(Key(phase, i), NpgsqlDbType.Text);
            await writer.WriteAsync("due", NpgsqlDbType.Text);
            await writer.WriteAsync(due, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(due, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
            await writer.WriteAsync(0, NpgsqlDbType.Integer);
        }

        await writer.CompleteAsync();
    }

    /// <summary>Bulk seeding is only valid while the live table has exactly the columns the bench writes.</summary>
    private static async Task CheckColumnsAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'reminders'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }

        if (!found.Order(StringComparer.Ordinal).SequenceEqual(Columns.Order(StringComparer.Ordinal)))
        {
            throw new InvalidOperationException(
                $"{schema}.reminders has columns ({string.Join(", ", found)}), not the ({string.Join(", ", Columns)}) the bench seeds; "
                + "update RemindersScenario to the current migration.");
        }
    }

    private static async Task<long> CountLeftAsync(NpgsqlDataSource dataSource, string schema, string phase)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM \"{schema}\".reminders WHERE grain_key LIKE $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = phase + "-%" });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Key(string phase, int i) => $"{phase}-{i:D6}";
}
