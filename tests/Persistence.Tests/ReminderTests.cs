using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Reminders;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

public sealed class ReminderTests : IClassFixture<PostgresDatabase>
{
    private readonly PostgresDatabase _database;

    public ReminderTests(PostgresDatabase database) => _database = database;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reminder_fires_once_when_the_clock_passes_it(bool postgres)
    {
        await using var cluster = await Clusters.StartAsync(postgres ? _database.ConnectionString : null);
        var key = $"once-{postgres}";
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        var due = cluster.Time.GetUtcNow().AddDays(1);
        await grain.ScheduleAsync("answer", due);

        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(23));
        Assert.Empty(await grain.GetFiredAsync());

        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(2));
        await cluster.AdvanceTimeAsync(TimeSpan.FromDays(3));

        var fired = Assert.Single(await grain.GetFiredAsync());
        Assert.Equal(("answer", due), (fired.Name, fired.DueAt));
        Assert.Equal(1, DeadlineGrain.Deliveries[key]);
        Assert.Empty(await cluster.Services.GetRequiredService<IReminderTable>().ListAsync(new GrainId("test-deadline", key), default));
    }

    [Fact]
    public async Task A_reminder_set_again_replaces_the_old_one_and_a_cleared_one_never_fires()
    {
        await using var cluster = await Clusters.StartAsync(_database.ConnectionString);
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>("moved");
        var now = cluster.Time.GetUtcNow();
        await grain.ScheduleAsync("moved", now.AddHours(1));
        await grain.ScheduleAsync("moved", now.AddHours(5));
        await grain.ScheduleAsync("cleared", now.AddHours(2));
        await grain.CancelAsync("cleared");

        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(3));
        Assert.Empty(await grain.GetFiredAsync());
        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(3));

        var fired = Assert.Single(await grain.GetFiredAsync());
        Assert.Equal(("moved", now.AddHours(5)), (fired.Name, fired.DueAt));
    }

    [Fact]
    public async Task A_reminder_that_fell_due_while_no_runtime_ran_fires_on_the_next_start()
    {
        var cluster = await Clusters.StartAsync(_database.ConnectionString);
        var due = cluster.Time.GetUtcNow().AddHours(4);
        await cluster.GrainFactory.GetGrain<IDeadlineGrain>("while-down").ScheduleAsync("wake", due);
        await cluster.DisposeAsync();

        cluster.Time.Advance(TimeSpan.FromDays(2));
        await using var restarted = await Clusters.StartAsync(_database.ConnectionString, o => o.Time = cluster.Time);
        await restarted.FireDueRemindersAsync();

        var fired = Assert.Single(await restarted.GrainFactory.GetGrain<IDeadlineGrain>("while-down").GetFiredAsync());
        Assert.Equal(due, fired.DueAt);
        Assert.Equal(cluster.Time.GetUtcNow(), fired.FiredAt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_handler_that_throws_is_called_again_with_backoff(bool postgres)
    {
        await using var cluster = await Clusters.StartAsync(postgres ? _database.ConnectionString : null, o =>
            o.Configuration["Reminders:RetryMinDelay"] = "00:00:10");
        var key = $"flaky-{postgres}";
        DeadlineGrain.FailuresToThrow[key] = 2;
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        await grain.ScheduleAsync("retry-me", cluster.Time.GetUtcNow().AddMinutes(1));

        await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1, DeadlineGrain.Deliveries[key]);
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, DeadlineGrain.Deliveries[key]);
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, DeadlineGrain.Deliveries[key]);
        Assert.Empty(await grain.GetFiredAsync());
        await cluster.AdvanceTimeAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, DeadlineGrain.Deliveries[key]);
        Assert.Single(await grain.GetFiredAsync());
        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(1));
        Assert.Equal(3, DeadlineGrain.Deliveries[key]);
    }

    [Fact]
    public async Task Ten_thousand_reminders_on_postgres_all_fire_none_lost()
    {
        var database = await PostgresServer.CreateDatabaseAsync("rem");
        try
        {
            await using var cluster = await Clusters.StartAsync(database);
            var now = cluster.Time.GetUtcNow();
            await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
                await cluster.GrainFactory.GetGrain<IDeadlineGrain>($"bulk-{i}")
                    .ScheduleAsync("bulk", now.AddSeconds(1 + (i % 600))));

            await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(11));

            await using var connection = new Npgsql.NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var pending = new Npgsql.NpgsqlCommand("SELECT count(*) FROM ozon.reminders", connection);
            Assert.Equal(0L, (long)(await pending.ExecuteScalarAsync())!);
            await using var fired = new Npgsql.NpgsqlCommand(
                "SELECT count(*) FROM ozon.grain_state WHERE grain_type = 'test-deadline' AND grain_key LIKE 'bulk-%' AND jsonb_array_length(state->'fired') = 1",
                connection);
            Assert.Equal(10_000L, (long)(await fired.ExecuteScalarAsync())!);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
