using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OzonActors.Persistence.Events;
using OzonActors.Persistence.Storage;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

/// <summary>The head of the log and per-audience replay, which live push uses to resume a client on any process.</summary>
public sealed class EventReplayTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_head_is_start_on_an_empty_log_then_the_last_committed_event(bool postgres)
    {
        await WithClusterAsync(postgres, null, async cluster =>
        {
            var feed = cluster.Services.GetRequiredService<EventFeed>();
            Assert.Equal(EventPosition.Start, await feed.GetHeadAsync(default));

            var replay = cluster.GrainFactory.GetGrain<IReplayGrain>("head");
            await replay.EmitAsync(1, ["test:a"]);
            await replay.EmitAsync(2, ["test:b"]);

            var all = await ReadCommittedAsync(feed, EventPosition.Start, 2);
            Assert.Equal(all[^1].Position, await feed.GetHeadAsync(default));
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_commit_still_in_flight_never_lands_at_or_before_the_head(bool postgres)
    {
        var hold = new HoldCommits();
        await WithClusterAsync(postgres, hold, async cluster =>
        {
            var feed = cluster.Services.GetRequiredService<EventFeed>();
            await cluster.GrainFactory.GetGrain<IReplayGrain>("before").EmitAsync(0, ["test:a"]);
            var before = (await ReadCommittedAsync(feed, EventPosition.Start, 1))[^1].Position;
            Assert.Equal(before, await feed.GetHeadAsync(default));

            // The held write has begun (on PostgreSQL its transaction has an id and its rows) but not committed;
            // a later write commits meanwhile.
            var held = cluster.GrainFactory.GetGrain<IReplayGrain>("held").EmitAsync(1, ["test:a"]);
            await hold.Entered.WaitAsync(TimeSpan.FromSeconds(10));
            await cluster.GrainFactory.GetGrain<IReplayGrain>("later").EmitAsync(2, ["test:a"]);
            var during = await feed.GetHeadAsync(default);
            if (postgres)
            {
                // The later commit waits behind the older open transaction, so the head does not move past it yet.
                Assert.Equal(before, during);
            }

            hold.Release();
            await held.WaitAsync(TimeSpan.FromSeconds(10));

            var all = await ReadCommittedAsync(feed, before, 2);
            var appeared = (await feed.ReadAsync(during, 100, default)).Events;
            Assert.All(appeared, e => Assert.True(e.Position > during));
            Assert.Equal(all.Count, all.Count(e => e.Position <= during) + appeared.Count);
            Assert.Equal(all[^1].Position, await feed.GetHeadAsync(default));
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_replay_returns_only_the_audiences_events_in_the_range_once_each_in_order(bool postgres)
    {
        await WithClusterAsync(postgres, null, async cluster =>
        {
            var feed = cluster.Services.GetRequiredService<EventFeed>();
            var replay = cluster.GrainFactory.GetGrain<IReplayGrain>("audiences");
            string[][] audiences =
            [
                ["seller:a"], ["seller:b"], ["customer:x", "manager:x"], ["seller:a", "moderators"], ["seller:b"],
                ["manager:x"], ["seller:a"], ["customer:y"], ["seller:a", "seller:b"], ["seller:a"],
            ];
            for (var i = 0; i < audiences.Length; i++)
            {
                await replay.EmitAsync(i, audiences[i]);
            }

            var all = await ReadCommittedAsync(feed, EventPosition.Start, audiences.Length);
            var head = await feed.GetHeadAsync(default);
            Assert.Equal(all[^1].Position, head);

            Assert.Equal([0, 3, 6, 8, 9], await NumbersAsync(feed, EventPosition.Start, head, ["seller:a"], max: 100));
            Assert.Equal([2, 5], await NumbersAsync(feed, EventPosition.Start, head, ["customer:x", "manager:x"], max: 100));
            Assert.Equal([0, 1, 3, 4, 6, 8, 9], await NumbersAsync(feed, EventPosition.Start, head, ["seller:a", "seller:b"], max: 100));

            // The range is (after, upTo]: the event at `after` is excluded, the one at `upTo` included.
            Assert.Equal([3, 6], await NumbersAsync(feed, all[0].Position, all[6].Position, ["seller:a"], max: 100));

            // Paging by the last position seen returns the same events as one read.
            Assert.Equal([0, 3, 6, 8, 9], await NumbersAsync(feed, EventPosition.Start, head, ["seller:a"], max: 2));

            Assert.Empty((await feed.ReadForAudiencesAsync(EventPosition.Start, head, ["seller:nobody"], 100, default)).Events);
            Assert.Empty((await feed.ReadForAudiencesAsync(EventPosition.Start, head, [], 100, default)).Events);
            Assert.Empty((await feed.ReadForAudiencesAsync(head, all[0].Position, ["seller:a"], 100, default)).Events);
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
                feed.ReadForAudiencesAsync(EventPosition.Start, head, ["seller:a"], 0, default));
        });
    }

    [Fact]
    public async Task The_events_table_has_a_gin_index_on_audiences_without_a_pending_list()
    {
        var database = await PostgresServer.CreateDatabaseAsync("replayidx");
        try
        {
            await using (await Clusters.StartAsync(database))
            {
                await using var connection = new NpgsqlConnection(database);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = 'ozon' AND indexname = 'events_by_audience'", connection);
                var definition = (string?)await command.ExecuteScalarAsync();
                Assert.NotNull(definition);
                Assert.Contains("USING gin (audiences)", definition, StringComparison.Ordinal);

                // Without fastupdate no insert ever merges a pending list inside its transaction, holding back readers.
                Assert.Matches("fastupdate='?off'?", definition);
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    /// <summary>
    /// Awaits the first <paramref name="count"/> events after <paramref name="after"/>. On PostgreSQL a commit becomes
    /// readable only once every older transaction on the server has ended (other tests run meanwhile), so tests follow
    /// the feed rather than read once.
    /// </summary>
    private static async Task<List<EventEnvelope>> ReadCommittedAsync(EventFeed feed, EventPosition after, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<EventEnvelope>();
        await foreach (var envelope in feed.SubscribeAsync(after, timeout.Token))
        {
            events.Add(envelope);
            if (events.Count == count)
            {
                return events;
            }
        }

        throw new TimeoutException($"Only {events.Count} of {count} events became readable within 30 s.");
    }

    private static async Task<List<int>> NumbersAsync(
        EventFeed feed, EventPosition after, EventPosition upTo, string[] audiences, int max)
    {
        var numbers = new List<int>();
        var last = EventPosition.Start;
        while (true)
        {
            var page = (await feed.ReadForAudiencesAsync(after, upTo, audiences, max, default)).Events;
            foreach (var envelope in page)
            {
                Assert.True(envelope.Position > last, "positions strictly increase");
                Assert.True(envelope.Position > after && envelope.Position <= upTo, "inside the range");
                Assert.Contains(envelope.Audiences, audiences.Contains);
                last = envelope.Position;
                numbers.Add(System.Text.Json.JsonSerializer.Deserialize<ReplayData>(envelope.DataJson, GrainJson.Options)!.Number);
            }

            if (page.Count < max)
            {
                return numbers;
            }

            after = page[^1].Position;
        }
    }

    /// <summary>A cluster on a fresh database (PostgreSQL) or in memory, so the log starts empty.</summary>
    private static async Task WithClusterAsync(bool postgres, IGrainWriteInterceptor? interceptor, Func<TestCluster, Task> body)
    {
        var database = postgres ? await PostgresServer.CreateDatabaseAsync("replay") : null;
        try
        {
            await using var cluster = await Clusters.StartAsync(database, o =>
            {
                if (interceptor is not null)
                {
                    o.Services = services => services.AddSingleton(interceptor);
                }
            });
            await body(cluster);
        }
        finally
        {
            if (database is not null)
            {
                await PostgresServer.DropDatabaseAsync(database);
            }
        }
    }

    /// <summary>Holds the commit of grains whose key is "held" until released (the transaction stays open on PostgreSQL).</summary>
    private sealed class HoldCommits : IGrainWriteInterceptor
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public async ValueTask BeforeCommitAsync(GrainWrite write, CancellationToken cancellationToken)
        {
            if (write.StateKey.Key == "held")
            {
                _entered.TrySetResult();
                await _released.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
        }
    }
}
