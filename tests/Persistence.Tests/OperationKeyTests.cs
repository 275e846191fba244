using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Storage;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

public sealed class OperationKeyTests : IClassFixture<PostgresDatabase>
{
    private readonly PostgresDatabase _database;

    public OperationKeyTests(PostgresDatabase database) => _database = database;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_replayed_operation_changes_nothing_and_says_so(bool postgres)
    {
        await using var cluster = await Clusters.StartAsync(postgres ? _database.ConnectionString : null);
        var tally = cluster.GrainFactory.GetGrain<ITallyGrain>($"replay-{postgres}");

        Assert.True(await tally.AddAsync("a", 10));
        Assert.False(await tally.AddAsync("a", 10));
        Assert.True(await tally.AddAsync("b", 5));
        Assert.False(await tally.AddAsync("a", 99));

        Assert.Equal((15L, 2), await tally.GetAsync());
    }

    [Fact]
    public async Task Claimed_keys_outlive_the_activation_and_the_process()
    {
        var cluster = await Clusters.StartAsync(_database.ConnectionString);
        await cluster.GrainFactory.GetGrain<ITallyGrain>("restart").AddAsync("order-1", 7);

        cluster = await cluster.RestartAsync();
        await using (cluster)
        {
            var tally = cluster.GrainFactory.GetGrain<ITallyGrain>("restart");
            Assert.False(await tally.AddAsync("order-1", 7));
            Assert.Equal((7L, 1), await tally.GetAsync());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failed_write_claims_nothing_so_the_operation_can_be_retried(bool postgres)
    {
        var faulty = true;
        await using var cluster = await Clusters.StartAsync(postgres ? _database.ConnectionString : null, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor>(new SwitchableFault(() => faulty)));
        var tally = cluster.GrainFactory.GetGrain<ITallyGrain>($"retry-{postgres}");

        await Assert.ThrowsAsync<IOException>(() => tally.AddAsync("x", 3));
        faulty = false;

        Assert.True(await tally.AddAsync("x", 3));
        Assert.Equal((3L, 1), await tally.GetAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Keys_belong_to_their_grain(bool postgres)
    {
        await using var cluster = await Clusters.StartAsync(postgres ? _database.ConnectionString : null);

        Assert.True(await cluster.GrainFactory.GetGrain<ITallyGrain>($"one-{postgres}").AddAsync("shared", 1));
        Assert.True(await cluster.GrainFactory.GetGrain<ITallyGrain>($"two-{postgres}").AddAsync("shared", 1));
    }

    /// <summary>
    /// Issue 12, "rows that grow forever": operation keys are kept for the replay window (Storage:OperationKeyRetention,
    /// 90 days), then deleted by the retention loop; a replay inside the window is a replay, one after it is new.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Operation_keys_are_kept_for_the_replay_window_and_then_deleted(bool postgres)
    {
        await using var cluster = await Clusters.StartAsync(postgres ? _database.ConnectionString : null);
        var tally = cluster.GrainFactory.GetGrain<ITallyGrain>($"window-{postgres}");
        Assert.True(await tally.AddAsync("old", 1));

        await cluster.AdvanceTimeAsync(TimeSpan.FromDays(89));
        await cluster.Services.RunRetentionAsync();
        Assert.False(await tally.AddAsync("old", 1));
        Assert.True(await tally.AddAsync("recent", 1));

        await cluster.AdvanceTimeAsync(TimeSpan.FromDays(2));
        await cluster.Services.RunRetentionAsync(); // (the retention loop may have run on the advanced clock already)
        Assert.False(await tally.AddAsync("recent", 1)); // still inside its window
        Assert.True(await tally.AddAsync("old", 1)); // its window has passed: applied as new
        Assert.Equal((3L, 3), await tally.GetAsync());
    }
}
