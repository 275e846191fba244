using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using OzonActors.Bench.Grains;
using OzonActors.Persistence;

namespace OzonActors.Bench.Scenarios;

/// <summary>
/// Persisted grain writes to PostgreSQL, three sides at the same concurrency in the same run: grains on our
/// <c>[DurableState]</c> facet (each loops increment + WriteStateAsync), the same grain on Orleans' own
/// <c>[PersistentState]</c> with <c>Microsoft.Orleans.Persistence.AdoNet</c> (table and queries created by the bench in
/// its own schema, see <see cref="BenchAdoNetStorage"/>), and a raw Npgsql single-row upsert loop writing the same JSON.
/// </summary>
internal static class WritesScenario
{
    private const double TargetRatio = 0.7;

    private const string Upsert = $"""
        INSERT INTO {BenchAdoNetStorage.RawTable} (id, version, value, updated_at) VALUES ($1, 1, $2, $3)
        ON CONFLICT (id) DO UPDATE SET value = excluded.value, version = raw_upsert.version + 1, updated_at = excluded.updated_at
        """;

    public static async Task RunAsync(BenchArgs args)
    {
        Report.Header("writes: [DurableState] grain writes vs Orleans' ADO.NET [PersistentState] vs raw Npgsql upserts", args);
        Report.Facts(
            $"Facet side: N grains (DurableGrain), each looping IncrementAsync (State.Value++ then WriteStateAsync: one batch, "
                + $"version-checked, into grain_state jsonb); state JSON ≈ {SampleJson(args.PayloadChars).Length} bytes",
            "Orleans side: N grains with [PersistentState] on Microsoft.Orleans.Persistence.AdoNet (invariant Npgsql), each looping the "
                + "same IncrementAsync (IPersistentState.WriteStateAsync: one statement, version-checked, into a bytea column); table and "
                + "WriteToStorageKey/ReadFromStorageKey/ClearStorageKey written by the bench (bench/Grains/BenchAdoNetStorage.cs) in schema "
                + $"'{BenchAdoNetStorage.Schema}', the row found by its primary key",
            "Raw side: N writers, each looping one autocommit `INSERT ... ON CONFLICT (id) DO UPDATE SET value = ..., version = version + 1` "
                + "of the same JSON into a jsonb column of a table created by the bench",
            $"Each side: {Report.Seconds(args.Warmup)} s warm-up, then {Report.Seconds(args.Duration)} s measured, in {args.Rounds} slices "
                + "in rotating order (facet-Orleans-raw, raw-Orleans-facet, ...) so that drifting load hits all three alike");

        var table = new MarkdownTable(
            "Concurrency", "Facet writes/s", "Facet p50", "Facet p99", "Orleans ADO.NET writes/s", "ADO.NET p50", "ADO.NET p99",
            "Raw upserts/s", "Raw p50", "Raw p99", "Facet ÷ raw", "ADO.NET ÷ raw", "Target", "Result");
        await BenchCluster.WithDatabaseAsync(async connectionString =>
        {
            await using var raw = NpgsqlDataSource.Create(connectionString);
            await BenchAdoNetStorage.CreateAsync(raw);

            await using var cluster = await BenchCluster.StartAsync(
                args.Settings, connectionString, silo: silo => BenchAdoNetStorage.AddTo(silo, connectionString));
            var adoNet = cluster.Services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(BenchAdoNetStorage.ProviderName);
            Report.Facts($"Orleans ADO.NET storage: serializer {adoNet.GrainStorageSerializer?.GetType().Name ?? "(default)"}; "
                + "the facet's data source auto-prepares its statements (Max Auto Prepare 32), Orleans' provider and the raw loop run with "
                + "Npgsql's defaults");
            foreach (var concurrency in args.Concurrency)
            {
                Report.Progress($"writes: {concurrency} facet grains, {concurrency} Orleans ADO.NET grains and {concurrency} raw upsert loops ...");
                var facet = Enumerable.Range(0, concurrency)
                    .Select(i => cluster.GrainFactory.GetGrain<IBenchWriteGrain>($"w{concurrency}-{i}"))
                    .Select(grain => (Func<Task>)(() => grain.IncrementAsync(args.PayloadChars)))
                    .ToList();
                var orleans = Enumerable.Range(0, concurrency)
                    .Select(i => cluster.GrainFactory.GetGrain<IBenchAdoNetWriteGrain>($"o{concurrency}-{i}"))
                    .Select(grain => (Func<Task>)(() => grain.IncrementAsync(args.PayloadChars)))
                    .ToList();
                var writers = Enumerable.Range(0, concurrency)
                    .Select(i => RawWriter(raw, $"r{concurrency}-{i}", new string('x', args.PayloadChars)))
                    .ToList();
                var runs = await RotateAsync([facet, orleans, writers], args);
                var (facetRun, orleansRun, rawRun) = (runs[0], runs[1], runs[2]);

                var ratio = facetRun.PerSecond / rawRun.PerSecond;
                var orleansRatio = orleansRun.PerSecond / rawRun.PerSecond;
                table.Add(
                    Report.Number(concurrency),
                    Report.Number(facetRun.PerSecond),
                    Report.Duration(facetRun.Latency.Percentile(0.5)),
                    Report.Duration(facetRun.Latency.Percentile(0.99)),
                    Report.Number(orleansRun.PerSecond),
                    Report.Duration(orleansRun.Latency.Percentile(0.5)),
                    Report.Duration(orleansRun.Latency.Percentile(0.99)),
                    Report.Number(rawRun.PerSecond),
                    Report.Duration(rawRun.Latency.Percentile(0.5)),
                    Report.Duration(rawRun.Latency.Percentile(0.99)),
                    Report.Decimal(ratio, 2),
                    Report.Decimal(orleansRatio, 2),
                    $"facet ÷ raw ≥ {Report.Decimal(TargetRatio, 1)}",
                    ratio >= TargetRatio
                        ? Report.Verdict(true)
                        : $"{Report.Verdict(false)} ({Report.Decimal(ratio, 3)}, {Report.Decimal(100 * (1 - (ratio / TargetRatio)), 1)}% short)");
            }
        });
        table.Print();
    }

    /// <summary>
    /// Splits the measured seconds into --rounds slices per side, the sides in rotating order (A-B-C, C-B-A, ...), so that
    /// load drifting during the run (other processes on the machine) weighs on every side alike.
    /// </summary>
    private static async Task<RunResult[]> RotateAsync(IReadOnlyList<IReadOnlyList<Func<Task>>> sides, BenchArgs args)
    {
        var slice = args.Duration / args.Rounds;
        var results = new RunResult?[sides.Count];
        for (var round = 0; round < args.Rounds; round++)
        {
            // Only the first slice of each side warms up: grains stay active and connections pooled between slices.
            var warmup = round == 0 ? args.Warmup : TimeSpan.Zero;
            var order = Enumerable.Range(0, sides.Count);
            foreach (var side in round % 2 == 0 ? order : order.Reverse())
            {
                results[side] = (await TimedRun.RunAsync(sides[side], warmup, slice)).Plus(results[side]);
            }
        }

        return [.. results.Select(r => r!)];
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
