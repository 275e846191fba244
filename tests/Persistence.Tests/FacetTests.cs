using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Storage;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;
using InconsistentStateException = Orleans.Storage.InconsistentStateException;

namespace OzonActors.Persistence.Tests;

/// <summary>The writes of the <c>[DurableState]</c> facet: all or nothing, never a failed turn's changes, once per operation key.</summary>
public sealed class FacetTests : IClassFixture<PostgresDatabase>
{
    private const string Tally = "test-tally";

    private readonly PostgresDatabase _database;

    public FacetTests(PostgresDatabase database) => _database = database;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task State_event_index_row_and_operation_key_commit_together_or_not_at_all(bool postgres)
    {
        var faulty = true;
        await using var cluster = await StartAsync(postgres, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor>(new SwitchableFault(() => faulty)));
        var key = $"atomic-{postgres}";
        var tally = cluster.GrainFactory.GetGrain<ITallyGrain>(key);

        // The fault hits after the batch ran (on PostgreSQL, inside the open transaction) and before the commit.
        await Assert.ThrowsAsync<IOException>(() => tally.AddAsync("order-1", 10));

        Assert.Null(await Inspect.StateAsync(cluster, Tally, key));
        Assert.Equal(0, await Inspect.CountEventsAsync(cluster, $"tally:{key}"));
        Assert.Equal(0, (await Inspect.IndexAsync(cluster, TallyGrain.Index, key)).Total);
        if (postgres)
        {
            Assert.Equal(0, await Inspect.ScalarAsync(_database.ConnectionString,
                "SELECT count(*) FROM ozon.grain_operation_keys WHERE grain_type = $1 AND grain_key = $2", Tally, key));
        }

        // The same turn without the fault commits all four, so the checks above look in the right places; and the key
        // was not claimed by the failed write, or this retry would be refused as a replay.
        faulty = false;
        Assert.True(await tally.AddAsync("order-1", 10));

        Assert.Equal(1, (await Inspect.StateAsync(cluster, Tally, key))!.Version);
        Assert.Equal((10L, 1), await tally.GetAsync());
        Assert.Equal(1, await Inspect.CountEventsAsync(cluster, $"tally:{key}"));
        Assert.Equal("order-1", Assert.Single((await Inspect.IndexAsync(cluster, TallyGrain.Index, key)).Rows).Tag);
        Assert.False(await tally.AddAsync("order-1", 10));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_turn_that_changes_state_then_throws_leaves_nothing_that_a_later_write_commits(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var key = $"discarded-{postgres}";
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>(key);

        // The turn adds 100 and queues an event, an index row and an operation key, then throws.
        await Assert.ThrowsAsync<InvalidOperationException>(() => counter.AddThenThrowAsync(100, "leaked-op"));

        // A later turn of the same activation writes: it must commit the stored state plus its own change only.
        await counter.TouchAsync();

        var stored = await Inspect.StateAsync(cluster, "test-counter", key);
        var state = JsonSerializer.Deserialize<CounterState>(stored!.Json, GrainJson.Options)!;
        Assert.Equal((0, 1), (state.Value, state.Touches));
        Assert.Equal(0, await counter.GetAsync());
        Assert.Equal(0, await Inspect.CountEventsAsync(cluster, $"counter:{key}"));
        Assert.Equal(0, (await Inspect.IndexAsync(cluster, CounterGrain.Index, key)).Total);

        // The key the failed turn queued was never claimed.
        Assert.True(await counter.AddOnceAsync(1, "leaked-op"));
        Assert.Equal(1, await counter.GetAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_replayed_operation_key_answers_false_and_commits_nothing(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var key = $"replayed-{postgres}";
        var tally = cluster.GrainFactory.GetGrain<ITallyGrain>(key);
        Assert.True(await tally.AddAsync("a", 10));

        // The replay changes the state and queues an event and an index row (amount 99), then claims the key again.
        Assert.False(await tally.AddAsync("a", 99));

        Assert.Equal((10L, 1), await tally.GetAsync());
        Assert.Equal(1, (await Inspect.StateAsync(cluster, Tally, key))!.Version);
        Assert.Equal(1, await Inspect.CountEventsAsync(cluster, $"tally:{key}"));
        var row = Assert.Single((await Inspect.IndexAsync(cluster, TallyGrain.Index, key)).Rows);
        Assert.Equal(new TallyAdded("a", 10), JsonSerializer.Deserialize<TallyAdded>(row.DataJson, GrainJson.Options));

        // The activation reloaded what is stored: the next operation lands on top of it.
        Assert.True(await tally.AddAsync("b", 5));
        Assert.Equal((15L, 2), await tally.GetAsync());
        Assert.Equal(2, (await Inspect.StateAsync(cluster, Tally, key))!.Version);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_over_someone_elses_write_is_an_InconsistentStateException_and_the_next_call_reloads(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var key = $"stale-{postgres}";
        var counter = cluster.GrainFactory.GetGrain<ICounterGrain>(key);
        Assert.Equal(1, await counter.IncrementAsync());

        // A second writer of the same stored key (another silo's activation, say) commits version 2.
        await cluster.Services.GetRequiredService<IGrainStorage>().WriteAsync(new GrainWrite
        {
            StateKey = new StateKey("test-counter", key),
            ExpectedVersion = 1,
            StateJson = """{"value":41,"touches":0}""",
            At = cluster.Time.GetUtcNow(),
        }, default);

        await Assert.ThrowsAsync<InconsistentStateException>(() => counter.IncrementAsync());

        Assert.Equal(41, JsonSerializer.Deserialize<CounterState>((await Inspect.StateAsync(cluster, "test-counter", key))!.Json, GrainJson.Options)!.Value);
        Assert.Equal(42, await counter.IncrementAsync());
        Assert.Equal(3, (await Inspect.StateAsync(cluster, "test-counter", key))!.Version);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_guid_keyed_grain_is_stored_under_the_guid_in_its_D_form(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var id = Guid.NewGuid();
        var note = $"kept-{id:N}";

        await cluster.GrainFactory.GetGrain<IGuidGrain>(id).SaveAsync(note);

        Assert.NotNull(await Inspect.StateAsync(cluster, "test-guid", id.ToString("D")));
        Assert.Null(await Inspect.StateAsync(cluster, "test-guid", id.ToString("N")));
        if (postgres)
        {
            Assert.Equal(id.ToString("D"), await Inspect.TextAsync(_database.ConnectionString,
                "SELECT grain_key FROM ozon.grain_state WHERE grain_type = 'test-guid' AND state->>'note' = $1", note));
        }

        // A new activation reads it back under the same key.
        await cluster.DeactivateAsync(cluster.GrainFactory.GetGrain<IGuidGrain>(id));
        Assert.Equal(note, await cluster.GrainFactory.GetGrain<IGuidGrain>(id).GetNoteAsync());
    }

    private Task<TestCluster> StartAsync(bool postgres, Action<TestClusterOptions>? configure = null) =>
        Clusters.StartAsync(postgres ? _database.ConnectionString : null, configure);
}
