using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Events;
using OzonActors.Persistence.Reminders;
using OzonActors.Persistence.Storage;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

public sealed class PersistenceTests : IClassFixture<PostgresDatabase>
{
    private readonly PostgresDatabase _database;

    public PersistenceTests(PostgresDatabase database) => _database = database;

    [Fact]
    public async Task State_survives_deactivation_and_a_new_runtime_on_the_same_database()
    {
        var cluster = await Clusters.StartAsync(_database.ConnectionString);
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>("durable");
        await counter.IncrementAsync();
        await counter.IncrementAsync();

        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(1));
        Assert.Equal(0, cluster.ActivationCount);
        Assert.Equal(2, await counter.GetAsync());

        await using var restarted = await cluster.RestartAsync();
        Assert.Equal(3, await restarted.GrainFactory.GetGrain<ICounterGrain>("durable").IncrementAsync());
    }

    [Fact]
    public async Task Two_runtimes_writing_one_grain_conflict_once_and_lose_no_update()
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

        // The first runtime now holds a stale version: its write conflicts too, and its retry lands on top.
        await Assert.ThrowsAsync<InconsistentStateException>(() => inFirst.IncrementAsync());
        Assert.Equal(3, await inFirst.IncrementAsync());

        await using var fresh = await Clusters.StartAsync(_database.ConnectionString);
        Assert.Equal(3, await fresh.GrainFactory.GetGrain<ICounterGrain>("contended").GetAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failed_write_commits_none_of_state_reminders_or_events(bool postgres)
    {
        await using var cluster = await Clusters.StartAsync(postgres ? _database.ConnectionString : null, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor, FailingWriteInterceptor>());
        var key = $"faulty-{postgres}";
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        var log = cluster.Services.GetRequiredService<IEventLog>();
        var before = await log.ReadAsync(EventPosition.Start, 10_000, default);

        await Assert.ThrowsAsync<IOException>(() => grain.ScheduleWithEventAsync("due", cluster.Time.GetUtcNow().AddDays(1)));

        var id = new GrainId("test-deadline", key);
        Assert.Null(await cluster.Services.GetRequiredService<IGrainStorage>().ReadAsync(id, default));
        Assert.Empty(await cluster.Services.GetRequiredService<IReminderTable>().ListAsync(id, default));
        var after = await log.ReadAsync(EventPosition.Start, 10_000, default);
        Assert.Equal(before.Events.Count, after.Events.Count);

        // The same write without the fault commits all three, so the checks above look in the right places.
        var healthy = cluster.GrainFactory.GetGrain<IDeadlineGrain>($"healthy-{postgres}");
        await healthy.ScheduleWithEventAsync("due", cluster.Time.GetUtcNow().AddDays(1));
        var healthyId = new GrainId("test-deadline", $"healthy-{postgres}");
        Assert.NotNull(await cluster.Services.GetRequiredService<IGrainStorage>().ReadAsync(healthyId, default));
        Assert.Single(await cluster.Services.GetRequiredService<IReminderTable>().ListAsync(healthyId, default));
        Assert.Equal(before.Events.Count + 1, (await log.ReadAsync(EventPosition.Start, 10_000, default)).Events.Count);
    }

    [Fact]
    public async Task A_failed_turn_does_not_leak_its_in_memory_changes_into_the_next_write()
    {
        await using var cluster = await Clusters.StartAsync(_database.ConnectionString, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor, FailingWriteInterceptor>());
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>("faulty-counter");

        await Assert.ThrowsAsync<IOException>(() => grain.IncrementAsync());

        Assert.Equal(0, await grain.GetAsync());
    }

    [Fact]
    public async Task Migrations_are_applied_once_when_runtimes_start_together()
    {
        var database = await PostgresServer.CreateDatabaseAsync("mig");
        try
        {
            var clusters = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Clusters.StartAsync(database)));
            foreach (var cluster in clusters)
            {
                await cluster.DisposeAsync();
            }

            await using var connection = new Npgsql.NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM ozon.schema_migrations", connection);
            Assert.Equal((long)Storage.Postgres.PostgresMigrator.Migrations.Count, (long)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
