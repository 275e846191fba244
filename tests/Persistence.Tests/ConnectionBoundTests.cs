using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OzonActors.Persistence.Storage;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

/// <summary>
/// Issue 12, point 8: after a crash with thousands of deadlines due, one process held all of PostgreSQL's connections for
/// minutes. A process now opens a bounded pool for grain state (40 unless the connection string says otherwise), and
/// work beyond it waits for a connection instead of failing or opening more.
/// </summary>
public sealed class ConnectionBoundTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const int StatePool = 40;

    [Fact]
    public async Task A_burst_of_writes_holding_their_connections_opens_no_more_than_the_state_pool_and_every_write_commits()
    {
        var unbounded = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        unbounded.Remove("Maximum Pool Size");
        await using var cluster = await Clusters.StartAsync(unbounded.ConnectionString, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor, SlowCommit>());

        var peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(unbounded.ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() " +
                "AND application_name NOT LIKE 'ozon-orleans-%'", connection);
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Convert.ToInt32(await count.ExecuteScalarAsync()));
                await Task.Delay(5);
            }
        });

        const int Writes = 600;
        var results = await Task.WhenAll(Enumerable.Range(0, Writes)
            .Select(i => cluster.GrainFactory.GetGrain<ICounterGrain>($"burst-{i}").IncrementAsync()));
        await sampling.CancelAsync();
        await sampler;

        Assert.All(results, value => Assert.Equal(1, value));
        Assert.InRange(peak, StatePool / 2, StatePool); // the burst reached the bound, and never went past it
    }

    /// <summary>Holds each commit's connection a while, as a slow server would under a burst.</summary>
    private sealed class SlowCommit : IGrainWriteInterceptor
    {
        public async ValueTask BeforeCommitAsync(GrainWrite write, CancellationToken cancellationToken) =>
            await Task.Delay(100, cancellationToken);
    }
}
