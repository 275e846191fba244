using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Storage;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;
using InconsistentStateException = Orleans.Storage.InconsistentStateException;

namespace OzonActors.Persistence.Tests;

public sealed class GrainIndexTests : IClassFixture<PostgresDatabase>
{
    private const string Index = "test-items";
    private const string GrainType = "test-indexed";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly PostgresDatabase _database;

    public GrainIndexTests(PostgresDatabase database) => _database = database;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_row_is_visible_to_a_query_as_soon_as_the_command_returns(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var partition = $"visible-{postgres}";

        await Grain(cluster, $"{partition}-a").UpdateAsync(Index, partition, "open", T0, "first");

        var page = await QueryAsync(cluster, new GrainIndexQuery(Index, partition));
        Assert.Equal(1, page.Total);
        var row = Assert.Single(page.Rows);
        Assert.Equal(new StateKey(GrainType, $"{partition}-a"), row.StateKey);
        Assert.Equal(("open", T0), (row.Tag, row.SortAt));
        Assert.Equal(new IndexedRowData("first", 1), Data(row));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_later_write_replaces_the_row_and_moves_it_between_tags(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var partition = $"replaced-{postgres}";
        var grain = Grain(cluster, $"{partition}-a");

        await grain.UpdateAsync(Index, partition, "open", T0, "opened");
        await grain.UpdateAsync(Index, partition, "closed", T0.AddHours(1), "closed");

        var all = await QueryAsync(cluster, new GrainIndexQuery(Index, partition));
        Assert.Equal(1, all.Total);
        var row = Assert.Single(all.Rows);
        Assert.Equal(("closed", T0.AddHours(1)), (row.Tag, row.SortAt));
        Assert.Equal(new IndexedRowData("closed", 2), Data(row));
        var open = await QueryAsync(cluster, new GrainIndexQuery(Index, partition) { Tag = "open" });
        Assert.Equal(0, open.Total);
        Assert.Empty(open.Rows);
        Assert.Single((await QueryAsync(cluster, new GrainIndexQuery(Index, partition) { Tag = "closed" })).Rows);

        // A write without a tag clears it: the row leaves every tag filter but stays in the partition.
        await grain.UpdateAsync(Index, partition, null, T0.AddHours(2), "untagged");
        Assert.Null(Assert.Single((await QueryAsync(cluster, new GrainIndexQuery(Index, partition))).Rows).Tag);
        Assert.Empty((await QueryAsync(cluster, new GrainIndexQuery(Index, partition) { Tag = "closed" })).Rows);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Queries_filter_by_tag_and_by_a_half_open_time_range(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var partition = $"filtered-{postgres}";
        for (var i = 0; i < 4; i++)
        {
            await Grain(cluster, $"{partition}-{i}").UpdateAsync(Index, partition, i % 2 == 0 ? "open" : "closed", T0.AddHours(i), $"item {i}");
        }

        var query = new GrainIndexQuery(Index, partition);
        await AssertKeysAsync(cluster, query with { Tag = "open" }, partition, 2, 0);
        await AssertKeysAsync(cluster, query with { From = T0.AddHours(1), To = T0.AddHours(3) }, partition, 2, 1);
        await AssertKeysAsync(cluster, query with { From = T0.AddHours(1) }, partition, 3, 2, 1);
        await AssertKeysAsync(cluster, query with { To = T0.AddHours(1) }, partition, 0);
        await AssertKeysAsync(cluster, query with { Tag = "closed", From = T0.AddHours(2) }, partition, 3);
        await AssertKeysAsync(cluster, query with { Tag = "closed", To = T0.AddHours(3) }, partition, 1);
        await AssertKeysAsync(cluster, query with { Tag = "open", From = T0.AddHours(1), To = T0.AddHours(2) }, partition);
        await AssertKeysAsync(cluster, query with { Tag = "pending" }, partition);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rows_come_newest_first_with_ties_by_grain_key_and_page_with_the_total(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var partition = $"paged-{postgres}";
        (string Key, DateTimeOffset SortAt)[] writes =
            [("b", T0.AddHours(1)), ("e", T0), ("a", T0.AddHours(1)), ("d", T0.AddHours(2)), ("c", T0.AddHours(1))];
        foreach (var (key, sortAt) in writes)
        {
            await Grain(cluster, $"{partition}-{key}").UpdateAsync(Index, partition, "open", sortAt, key);
        }

        var query = new GrainIndexQuery(Index, partition) { Take = 2 };
        Assert.Equal(["d", "a"], await PageAsync(query with { Skip = 0 }));
        Assert.Equal(["b", "c"], await PageAsync(query with { Skip = 2 }));
        Assert.Equal(["e"], await PageAsync(query with { Skip = 4 }));
        Assert.Empty(await PageAsync(query with { Skip = 5 }));
        Assert.Equal(["d", "a", "b", "c", "e"], await PageAsync(query with { Take = 50 }));
        Assert.Equal(["b", "c"], await PageAsync(query with { Tag = "open", From = T0.AddHours(1), To = T0.AddHours(2), Skip = 1 }));

        async Task<string[]> PageAsync(GrainIndexQuery page)
        {
            var answer = await QueryAsync(cluster, page);
            var matching = writes.Count(w => (page.From is null || w.SortAt >= page.From) && (page.To is null || w.SortAt < page.To));
            Assert.Equal(matching, answer.Total);
            return answer.Rows.Select(r => Data(r).Title).ToArray();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Partitions_and_indexes_are_isolated(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var first = $"isolated-{postgres}-1";
        var second = $"isolated-{postgres}-2";
        await Grain(cluster, $"{first}-x").UpdateAsync(Index, first, "open", T0, "x");
        await Grain(cluster, $"{second}-y").UpdateAsync(Index, second, "open", T0, "y");
        await Grain(cluster, $"{first}-z").UpdateAsync("test-other-items", first, "open", T0, "z");

        Assert.Equal(["x"], await TitlesAsync(cluster, new GrainIndexQuery(Index, first)));
        Assert.Equal(["y"], await TitlesAsync(cluster, new GrainIndexQuery(Index, second)));
        Assert.Equal(["z"], await TitlesAsync(cluster, new GrainIndexQuery("test-other-items", first)));
        Assert.Empty(await TitlesAsync(cluster, new GrainIndexQuery(Index, $"isolated-{postgres}-none")));

        // A row is one per (index, partition, grain): a grain writing in a second partition keeps its row in the first.
        await Grain(cluster, $"{first}-x").UpdateAsync(Index, second, "closed", T0.AddHours(1), "x moved");
        Assert.Equal(["x"], await TitlesAsync(cluster, new GrainIndexQuery(Index, first)));
        Assert.Equal(["x moved", "y"], await TitlesAsync(cluster, new GrainIndexQuery(Index, second)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_grain_leaves_a_partition_by_removing_its_row_in_the_write_that_moves_it(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var first = $"leaving-{postgres}-1";
        var second = $"leaving-{postgres}-2";
        await Grain(cluster, $"{first}-x").UpdateAsync(Index, first, "open", T0, "x");
        await Grain(cluster, $"{first}-y").UpdateAsync(Index, first, "open", T0.AddHours(1), "y");

        await Grain(cluster, $"{first}-x").MoveAsync(Index, second, first, T0.AddHours(2), "x moved");

        // Only the moving grain's row leaves the first partition; a removal where the grain has no row changes nothing.
        Assert.Equal(["y"], await TitlesAsync(cluster, new GrainIndexQuery(Index, first)));
        Assert.Equal(["x moved"], await TitlesAsync(cluster, new GrainIndexQuery(Index, second)));
        await Grain(cluster, $"{first}-x").MoveAsync(Index, second, $"leaving-{postgres}-none", T0.AddHours(3), "x again");
        Assert.Equal(["x again"], await TitlesAsync(cluster, new GrainIndexQuery(Index, second)));
        Assert.Equal(["y"], await TitlesAsync(cluster, new GrainIndexQuery(Index, first)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failed_write_leaves_no_row(bool postgres)
    {
        await using var cluster = await StartAsync(postgres, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor, FailingWriteInterceptor>());
        var partition = $"failed-{postgres}";

        await Assert.ThrowsAsync<IOException>(() =>
            Grain(cluster, $"faulty-{partition}").UpdateAsync(Index, partition, "open", T0, "lost"));

        var page = await QueryAsync(cluster, new GrainIndexQuery(Index, partition));
        Assert.Equal(0, page.Total);
        Assert.Empty(page.Rows);

        // The same write without the fault commits its row, so the check above looks in the right place.
        await Grain(cluster, $"healthy-{partition}").UpdateAsync(Index, partition, "open", T0, "kept");
        Assert.Equal(["kept"], await TitlesAsync(cluster, new GrainIndexQuery(Index, partition)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stale_write_leaves_no_row(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var partition = $"stale-{postgres}";
        var key = $"{partition}-a";
        await Grain(cluster, key).UpdateAsync(Index, partition, "open", T0, "committed");
        var storage = cluster.Services.GetRequiredService<IGrainStorage>();

        // Version 0 takes the insert path of the guard, version 5 the update path; the grain is at version 1.
        foreach (var staleVersion in new long[] { 0, 5 })
        {
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(new GrainWrite
            {
                StateKey = new StateKey(GrainType, key),
                ExpectedVersion = staleVersion,
                StateJson = "{}",
                At = T0,
                IndexEntries =
                [
                    new GrainIndexEntry(Index, partition, "stale", T0.AddHours(1), """{"title":"stale","writes":9}"""),
                    new GrainIndexEntry(Index, $"{partition}-elsewhere", "stale", T0.AddHours(1), """{"title":"stale","writes":9}"""),
                ],
            }, default));
        }

        var row = Assert.Single((await QueryAsync(cluster, new GrainIndexQuery(Index, partition))).Rows);
        Assert.Equal(("open", T0), (row.Tag, row.SortAt));
        Assert.Equal(new IndexedRowData("committed", 1), Data(row));
        Assert.Empty(await TitlesAsync(cluster, new GrainIndexQuery(Index, $"{partition}-elsewhere")));
    }

    [Fact]
    public async Task Rows_survive_a_cluster_restart_on_postgres()
    {
        var cluster = await StartAsync(postgres: true);
        const string Partition = "restarted";
        await Grain(cluster, "restarted-a").UpdateAsync(Index, Partition, "open", T0, "before restart");
        await Grain(cluster, "restarted-b").UpdateAsync(Index, Partition, "closed", T0.AddHours(1), "also before");

        await using var restarted = await cluster.RestartAsync();

        Assert.Equal(["also before", "before restart"], await TitlesAsync(restarted, new GrainIndexQuery(Index, Partition)));
        await Grain(restarted, "restarted-a").UpdateAsync(Index, Partition, "closed", T0.AddHours(2), "after restart");
        Assert.Equal(["after restart", "also before"], await TitlesAsync(restarted, new GrainIndexQuery(Index, Partition) { Tag = "closed" }));
        Assert.Equal(2, await Grain(restarted, "restarted-a").GetWritesAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_query_with_a_negative_skip_or_a_take_outside_1_to_10000_is_rejected(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var index = cluster.Services.GetRequiredService<IGrainIndex>();
        var query = new GrainIndexQuery(Index, $"validated-{postgres}");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => index.QueryAsync(query with { Skip = -1 }, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => index.QueryAsync(query with { Take = 0 }, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => index.QueryAsync(query with { Take = 10_001 }, default));

        await Grain(cluster, $"validated-{postgres}-a").UpdateAsync(Index, query.Partition, null, T0, "a");
        Assert.Single((await index.QueryAsync(query with { Take = 10_000 }, default)).Rows);
        Assert.Single((await index.QueryAsync(query with { Take = 1 }, default)).Rows);
    }

    private Task<TestCluster> StartAsync(bool postgres, Action<TestClusterOptions>? configure = null) =>
        Clusters.StartAsync(postgres ? _database.ConnectionString : null, configure);

    private static IIndexedGrain Grain(TestCluster cluster, string key) => cluster.GrainFactory.GetGrain<IIndexedGrain>(key);

    private static Task<GrainIndexPage> QueryAsync(TestCluster cluster, GrainIndexQuery query) =>
        cluster.Services.GetRequiredService<IGrainIndex>().QueryAsync(query, default);

    private static async Task<string[]> TitlesAsync(TestCluster cluster, GrainIndexQuery query) =>
        (await QueryAsync(cluster, query)).Rows.Select(r => Data(r).Title).ToArray();

    /// <summary>Asserts the query answers exactly the grains <c>{partition}-{number}</c>, in this order, and counts them.</summary>
    private static async Task AssertKeysAsync(TestCluster cluster, GrainIndexQuery query, string partition, params int[] numbers)
    {
        var page = await QueryAsync(cluster, query);
        Assert.Equal(numbers.Select(n => new StateKey(GrainType, $"{partition}-{n}")), page.Rows.Select(r => r.StateKey));
        Assert.Equal(numbers.Length, page.Total);
    }

    private static IndexedRowData Data(GrainIndexRow row) =>
        JsonSerializer.Deserialize<IndexedRowData>(row.DataJson, GrainJson.Options)!;
}
