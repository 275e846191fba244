using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OzonActors.Bench.Grains;
using OzonActors.Persistence;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// Persisted grain writes to PostgreSQL (each grain loops increment + WriteStateAsync) next to a raw Npgsql
/// single-row upsert loop writing the same JSON, at the same concurrency, in the same run.
/// </summary>
internal static class WritesScenario
{
    private const double TargetRatio = 0.7;

    private const string CreateTable = """
        CREATE TABLE bench_upsert (id text PRIMARY KEY, version bigint NOT NULL, value jsonb NOT NULL, updated_at timestamptz NOT NULL)
        """;

    private const string Upsert = """
        INSERT INTO bench_upsert (id, version, value, updated_at) VALUES ($1, 1, $2, $3)
        ON CONFLICT (id) DO UPDATE SET value = excluded.value, version = bench_upsert.version + 1, updated_at = excluded.updated_at
        """;

    public static async Task RunAsync(BenchArgs args)
    {
        Report.Header("writes: persisted grain writes vs raw Npgsql upserts", args);
        Report.Facts(
            $"Grain side: N grains, each looping IncrementAsync (State.Value++ then WriteStateAsync: one transaction, version-checked); "
                + $"state JSON ≈ {SampleJson(args.PayloadChars).Length} bytes",
            "Raw side: N writers, each looping one autocommit `INSERT ... ON CONFLICT (id) DO UPDATE SET value = ..., version = version + 1` "
                + "of the same JSON into a jsonb column of a table created by the bench",
            $"Each side: {Report.Seconds(args.Warmup)} s warm-up, then {Report.Seconds(args.Duration)} s measured, "
                + $"in {args.Rounds} slices alternating grain-raw, raw-grain, ... (ABBA) so that drifting load hits both alike");

        var table = new MarkdownTable(
            "Concurrency", "Grain writes/s", "Grain p50", "Grain p99", "Raw upserts/s", "Raw p50", "Raw p99", "Ratio", "Target", "Result");
        await BenchCluster.WithDatabaseAsync(async connectionString =>
        {
            await using var raw = NpgsqlDataSource.Create(connectionString);
            await using (var create = raw.CreateCommand(CreateTable))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using var cluster = await BenchCluster.StartAsync(args.Settings, connectionString);
            foreach (var concurrency in args.Concurrency)
            {
                Report.Progress($"writes: {concurrency} grains and {concurrency} raw upsert loops ...");
                var grains = Enumerable.Range(0, concurrency)
                    .Select(i => cluster.GrainFactory.GetGrain<IBenchWriteGrain>($"w{concurrency}-{i}"))
                    .Select(grain => (Func<Task>)(() => grain.IncrementAsync(args.PayloadChars)))
                    .ToList();
                var writers = Enumerable.Range(0, concurrency)
                    .Select(i => RawWriter(raw, $"r{concurrency}-{i}", new string('x', args.PayloadChars)))
                    .ToList();
                var (grainRun, rawRun) = await AlternateAsync(grains, writers, args);

                var ratio = grainRun.PerSecond / rawRun.PerSecond;
                table.Add(
                    Report.Number(concurrency),
                    Report.Number(grainRun.PerSecond),
                    Report.Duration(grainRun.Latency.Percentile(0.5)),
                    Report.Duration(grainRun.Latency.Percentile(0.99)),
                    Report.Number(rawRun.PerSecond),
                    Report.Duration(rawRun.Latency.Percentile(0.5)),
                    Report.Duration(rawRun.Latency.Percentile(0.99)),
                    Report.Decimal(ratio, 2),
                    $"ratio ≥ {Report.Decimal(TargetRatio, 1)}",
                    ratio >= TargetRatio
                        ? Report.Verdict(true)
                        : $"{Report.Verdict(false)} ({Report.Decimal(ratio, 3)}, {Report.Decimal(100 * (1 - (ratio / TargetRatio)), 1)}% short)");
            }
        });
        table.Print();
    }

    /// <summary>
    /// Splits the measured seconds into --rounds slices per side, alternating grain-raw, raw-grain, ..., so that
    /// load drifting during the run (other processes on the machine) weighs on both sides alike.
    /// </summary>
    private static async Task<(RunResult Grain, RunResult Raw)> AlternateAsync(
        IReadOnlyList<Func<Task>> grains, IReadOnlyList<Func<Task>> writers, BenchArgs args)
    {
        var slice = args.Duration / args.Rounds;
        RunResult? grain = null;
        RunResult? raw = null;
        for (var round = 0; round < args.Rounds; round++)
        {
            // Only the first slice of each side warms up: grains stay active and connections pooled between slices.
            var warmup = round == 0 ? args.Warmup : TimeSpan.Zero;
            if (round % 2 == 0)
            {
                grain = (await TimedRun.RunAsync(grains, warmup, slice)).Plus(grain);
                raw = (await TimedRun.RunAsync(writers, warmup, slice)).Plus(raw);
            }
            else
            {
                raw = (await TimedRun.RunAsync(writers, warmup, slice)).Plus(raw);
                grain = (await TimedRun.RunAsync(grains, warmup, slice)).Plus(grain);
            }
        }

        return (grain!, raw!);
    }

    /// <summary>One raw writer: upserts its own row with the next counter value, as a grain would.</summary>
    private static Func<Task> RawWriter(NpgsqlDataSource dataSource, string id, string payload)
    {
        long value = 0;
        return async () =>
        {
            var json = JsonSerializer.Serialize(new BenchWriteState { Value = ++value, Payload = payload }, GrainJson.Options);
            await using var command = dataSource.CreateCommand(Upsert);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = DateTimeOffset.UtcNow, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await command.ExecuteNonQueryAsync();
        };
    }

    private static string SampleJson(int payloadChars) =>
        JsonSerializer.Serialize(new BenchWriteState { Value = 123_456, Payload = new string('x', payloadChars) }, GrainJson.Options);
}
