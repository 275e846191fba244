using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Storage;
using OzonActors.Returns;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;
using InconsistentStateException = Orleans.Storage.InconsistentStateException;

namespace OzonActors.Persistence.Tests;

public sealed class PersistenceTests : IClassFixture<PostgresDatabase>
{
    private readonly PostgresDatabase _database;

    public PersistenceTests(PostgresDatabase database) => _database = database;

    [Fact]
    public async Task State_survives_deactivation_and_a_new_cluster_on_the_same_database()
    {
        var cluster = await Clusters.StartAsync(_database.ConnectionString);
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>("durable");
        await counter.IncrementAsync();
        await counter.IncrementAsync();

        await cluster.DeactivateAsync(counter);
        Assert.Equal(2, await counter.GetAsync());

        await using var restarted = await cluster.RestartAsync();
        Assert.Equal(3, await restarted.GrainFactory.GetGrain<ICounterGrain>("durable").IncrementAsync());
    }

    [Fact]
    public async Task Two_clusters_writing_one_grain_conflict_once_each_and_lose_no_update()
    {
        await using var first = await Clusters.StartAsync(_database.ConnectionString);
        await using var second = await Clusters.StartAsync(_database.ConnectionString);
        var inFirst = first.GrainFactory.GetGrain<ICounterGrain>("contended");
        var inSecond = second.GrainFactory.GetGrain<ICounterGrain>("contended");
        Assert.Equal(0, await inFirst.GetAsync());
        Assert.Equal(0, await inSecond.GetAsync());

        Assert.Equal(1, await inFirst.IncrementAsync());
        await Assert.ThrowsAsync<InconsistentStateException>(() => inSecond.IncrementAsync());
        Assert.Equal(2, await inSecond.IncrementAsync());

        // The first cluster now holds a stale version: its write conflicts too, and its retry lands on top.
        await Assert.ThrowsAsync<InconsistentStateException>(() => inFirst.IncrementAsync());
        Assert.Equal(3, await inFirst.IncrementAsync());

        await using var fresh = await Clusters.StartAsync(_database.ConnectionString);
        Assert.Equal(3, await fresh.GrainFactory.GetGrain<ICounterGrain>("contended").GetAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failed_write_commits_none_of_state_deadline_or_event_and_leaves_a_reminder_that_removes_itself(bool postgres)
    {
        await using var cluster = await Clusters.StartAsync(postgres ? _database.ConnectionString : null, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor, FailingWriteInterceptor>());
        var key = $"faulty-{postgres}";
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);

        await Assert.ThrowsAsync<IOException>(() => grain.ScheduleWithEventAsync("due", cluster.Time.GetUtcNow().AddDays(1)));

        Assert.Null(await Inspect.StateAsync(cluster, DeadlineGrain.Type, key));
        Assert.Equal(0, await Inspect.CountEventsAsync(cluster, $"deadline:{key}"));
        Assert.Empty(await grain.GetDeadlinesAsync());

        // The reminder was registered before the write; with no deadline behind it, its first tick removes it.
        Assert.Equal(["due"], await Inspect.RemindersAsync(cluster, DeadlineGrain.Type, key));
        await cluster.FireDueRemindersAsync();
        Assert.Empty(await Inspect.RemindersAsync(cluster, DeadlineGrain.Type, key));
        Assert.False(DeadlineGrain.Deliveries.ContainsKey(key));

        // The same write without the fault commits all three, so the checks above look in the right places.
        var healthyKey = $"healthy-{postgres}";
        var due = cluster.Time.GetUtcNow().AddDays(1);
        await cluster.GrainFactory.GetGrain<IDeadlineGrain>(healthyKey).ScheduleWithEventAsync("due", due);
        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["due"] = due }, await Inspect.DeadlinesAsync(cluster, DeadlineGrain.Type, healthyKey));
        Assert.Equal(["due"], await Inspect.RemindersAsync(cluster, DeadlineGrain.Type, healthyKey));
        Assert.Equal(1, await Inspect.CountEventsAsync(cluster, $"deadline:{healthyKey}"));
    }

    [Fact]
    public async Task A_failed_write_leaves_the_activation_at_the_stored_state()
    {
        await using var cluster = await Clusters.StartAsync(_database.ConnectionString, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor, FailingWriteInterceptor>());
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>("faulty-counter");

        await Assert.ThrowsAsync<IOException>(() => grain.IncrementAsync());

        Assert.Equal(0, await grain.GetAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_thousand_concurrent_increments_commit_a_thousand_versions_without_overlapping_turns(bool postgres)
    {
        await using var cluster = await Clusters.StartAsync(postgres ? _database.ConnectionString : null);
        var key = $"thousand-{postgres}";
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await cluster.GrainFactory.GetGrain<ICounterGrain>(key).IncrementAsync();
            }))
            .ToArray();
        start.Set();
        var results = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
        Assert.Equal(1, CounterGrain.MaxConcurrentTurns[key]);
        var stored = await Inspect.StateAsync(cluster, "test-counter", key);
        Assert.Equal(1000, stored!.Version);
        Assert.Equal(1000, System.Text.Json.JsonSerializer.Deserialize<CounterState>(stored.Json, GrainJson.Options)!.Value);
    }

    [Fact]
    public async Task Migrations_are_applied_once_when_clusters_start_together()
    {
        var database = await PostgresServer.CreateDatabaseAsync("mig");
        try
        {
            var clusters = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Clusters.StartAsync(database)));
            foreach (var cluster in clusters)
            {
                await cluster.DisposeAsync();
            }

            Assert.Equal(Storage.Postgres.PostgresMigrator.Migrations.Count,
                await Inspect.ScalarAsync(database, "SELECT count(*) FROM ozon.schema_migrations"));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Migration_11_puts_requests_written_before_it_that_wait_for_their_seller_in_the_sellers_to_act_list()
    {
        var database = await PostgresServer.CreateDatabaseAsync("mig11");
        try
        {
            await (await Clusters.StartAsync(database)).DisposeAsync();

            // Rows as a version before the list wrote them: the seller's full list only, and the migration not yet run.
            const string Row = """
                INSERT INTO ozon.grain_index (index_name, partition_key, grain_type, grain_key, tag, sort_at, data)
                VALUES ($1, 'seller-1', 'return-request', $2, $3, now(), $4::jsonb)
                """;
            await Inspect.ScalarAsync(database, Row, ReturnIndexes.SellerReturns, "waits", "New", """{"id":"waits","nextActor":"Seller"}""");
            await Inspect.ScalarAsync(database, Row, ReturnIndexes.SellerReturns, "customer", "Approved", """{"id":"customer","nextActor":"Customer"}""");
            await Inspect.ScalarAsync(database, Row, ReturnIndexes.SellerReturns, "closed", "Refund", """{"id":"closed","nextActor":null}""");
            await Inspect.ScalarAsync(database, Row, ReturnIndexes.CustomerReturns, "other-list", "New", """{"id":"other-list","nextActor":"Seller"}""");
            await Inspect.ScalarAsync(database, "DELETE FROM ozon.schema_migrations WHERE number = 11");

            await (await Clusters.StartAsync(database)).DisposeAsync();

            Assert.Equal("waits", await Inspect.TextAsync(database,
                "SELECT string_agg(grain_key, ',') FROM ozon.grain_index WHERE index_name = $1", ReturnIndexes.SellerReturnsToAct));
            Assert.Equal("New", await Inspect.TextAsync(database,
                "SELECT tag FROM ozon.grain_index WHERE index_name = $1 AND partition_key = 'seller-1'", ReturnIndexes.SellerReturnsToAct));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
