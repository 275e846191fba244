using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

public sealed class TurnTests : IClassFixture<PostgresDatabase>
{
    private readonly PostgresDatabase _database;

    public TurnTests(PostgresDatabase database) => _database = database;

    [Fact]
    public async Task Thousand_concurrent_increments_end_at_exactly_a_thousand_without_overlapping_turns()
    {
        await using var cluster = await Clusters.StartAsync();
        await AssertThousandIncrementsAsync(cluster, "memory-counter");
    }

    [Fact]
    public async Task Thousand_concurrent_increments_on_postgres_end_at_exactly_a_thousand()
    {
        await using var cluster = await Clusters.StartAsync(_database.ConnectionString);
        await AssertThousandIncrementsAsync(cluster, "pg-counter");
        await using var restarted = await cluster.RestartAsync();
        Assert.Equal(1000, await restarted.GrainFactory.GetGrain<ICounterGrain>("pg-counter").GetAsync());
    }

    [Fact]
    public async Task Grain_exception_reaches_the_caller_as_the_same_type()
    {
        await using var cluster = await Clusters.StartAsync();
        var grain = cluster.GrainFactory.GetGrain<IBehaviourGrain>("thrower");

        var exception = await Assert.ThrowsAsync<CustomerFacingException>(() => grain.ThrowAsync("too-late"));

        Assert.Equal("too-late", exception.Code);
    }

    [Fact]
    public async Task A_call_that_outlives_the_timeout_fails_with_TimeoutException()
    {
        await using var cluster = await Clusters.StartAsync(configure: o => o.Configuration["Runtime:CallTimeout"] = "00:00:00.200");
        var grain = cluster.GrainFactory.GetGrain<IBehaviourGrain>("sleeper");

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => grain.SleepAsync(5_000));

        Assert.Contains("SleepAsync", exception.Message);
    }

    [Fact]
    public async Task Arguments_and_results_travel_as_records()
    {
        await using var cluster = await Clusters.StartAsync();
        var grain = cluster.GrainFactory.GetGrain<IBehaviourGrain>("greeter");

        Assert.Equal("Hello, Ann! Hello, Ann!", await grain.GreetAsync(new Greeting("Ann", 2)));
    }

    [Fact]
    public async Task A_grain_calls_another_grain_through_its_factory()
    {
        await using var cluster = await Clusters.StartAsync();
        var caller = cluster.GrainFactory.GetGrain<IBehaviourGrain>("caller");

        await caller.AskCounterAsync("called");

        Assert.Equal(2, await caller.AskCounterAsync("called"));
    }

    private static async Task AssertThousandIncrementsAsync(TestCluster cluster, string key)
    {
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>(key);
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

        Assert.Equal(1000, await counter.GetAsync());
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
        Assert.Equal(1, CounterGrain.MaxConcurrentTurns[key]);
    }
}
