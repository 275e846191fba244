using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Events;
using OzonActors.Persistence.Storage;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

public sealed class EventLogTests : IClassFixture<PostgresDatabase>
{
    private readonly PostgresDatabase _database;

    public EventLogTests(PostgresDatabase database) => _database = database;

    [Fact]
    public async Task Sixty_four_writers_with_random_commit_delays_are_read_once_each_in_commit_order()
    {
        const int Writers = 64;
        const int EventsPerWriter = 20;
        await using var cluster = await Clusters.StartAsync(_database.ConnectionString, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor, RandomCommitDelay>());
        var feed = cluster.Services.GetRequiredService<EventFeed>();
        var start = await EndOfLogAsync(feed);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var received = new List<(EventEnvelope Event, long At)>();
        var reader = Task.Run(async () =>
        {
            await foreach (var envelope in feed.SubscribeAsync(start, stop.Token))
            {
                received.Add((envelope, Stopwatch.GetTimestamp()));
                if (received.Count == Writers * EventsPerWriter)
                {
                    return;
                }
            }
        });

        // Each commit's wall-clock span, to check that a commit finished before another began is read before it.
        var commits = new List<(string Writer, int Number, long Began, long Ended)>();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var grain = cluster.GrainFactory.GetGrain<IEventSourceGrain>($"writer-{w}");
            for (var i = 0; i < EventsPerWriter; i++)
            {
                var began = Stopwatch.GetTimestamp();
                var number = await grain.EmitNextAsync();
                lock (commits)
                {
                    commits.Add(($"writer-{w}", number, began, Stopwatch.GetTimestamp()));
                }
            }
        })));
        await reader;

        var read = received.Select(r => JsonSerializer.Deserialize<Numbered>(r.Event.DataJson, GrainJson.Options)!).ToList();
        Assert.Equal(Writers * EventsPerWriter, read.Distinct().Count());
        Assert.Equal(commits.Select(c => (c.Writer, c.Number)).Order(), read.Select(n => (n.Writer, n.Number)).Order());
        var positions = received.Select(r => r.Event.Position).ToList();
        Assert.True(positions.Zip(positions.Skip(1)).All(p => p.First < p.Second), "positions strictly increase");
        Assert.True(positions.Zip(positions.Skip(1)).All(p => string.CompareOrdinal(p.First.ToString(), p.Second.ToString()) < 0),
            "position strings sort like positions");

        var index = read.Select((n, i) => (n, i)).ToDictionary(x => (x.n.Writer, x.n.Number), x => x.i);
        var byEnd = commits.OrderBy(c => c.Ended).ToList();
        foreach (var later in commits)
        {
            // Every commit that ended before this one began must be read before it.
            foreach (var earlier in byEnd.TakeWhile(c => c.Ended < later.Began))
            {
                Assert.True(index[(earlier.Writer, earlier.Number)] < index[(later.Writer, later.Number)],
                    $"{earlier.Writer}#{earlier.Number} committed before {later.Writer}#{later.Number} began but was read after it");
            }
        }
    }

    [Fact]
    public async Task A_feed_in_another_cluster_is_woken_by_notify_not_by_polling()
    {
        await using var writer = await Clusters.StartAsync(_database.ConnectionString);
        await using var listener = await Clusters.StartAsync(_database.ConnectionString, o =>
            o.Configuration["Events:PollInterval"] = "01:00:00");
        var feed = listener.Services.GetRequiredService<EventFeed>();
        var start = await EndOfLogAsync(feed);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = Task.Run(async () =>
        {
            await foreach (var envelope in feed.SubscribeAsync(start, stop.Token))
            {
                return envelope;
            }

            throw new InvalidOperationException("The feed ended.");
        });

        // Let the feed read the empty tail and go to sleep before the event is written.
        await Task.Delay(300);
        await writer.GrainFactory.GetGrain<IEventSourceGrain>("notifier").EmitNextAsync();

        var envelope = await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("writer:notifier", envelope.Stream);
        Assert.Equal(["test:all"], envelope.Audiences);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Events_older_than_the_retention_window_are_removed(bool postgres)
    {
        var database = postgres ? await PostgresServer.CreateDatabaseAsync("ret") : null;
        try
        {
            await using var cluster = await Clusters.StartAsync(database);
            var feed = cluster.Services.GetRequiredService<EventFeed>();
            await cluster.GrainFactory.GetGrain<IEventSourceGrain>("old").EmitNextAsync();
            await cluster.AdvanceTimeAsync(TimeSpan.FromDays(6));
            await cluster.GrainFactory.GetGrain<IEventSourceGrain>("young").EmitNextAsync();

            cluster.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
            await cluster.Services.GetRequiredService<EventRetention>().TrimAsync(default);

            // The background retention pass may be deleting at the same moment; its transaction holds later
            // events back (Pending) until it commits, so read until nothing is pending.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            EventBatch left;
            while ((left = await feed.ReadAsync(EventPosition.Start, 100, default)).Pending)
            {
                await Task.Delay(10, timeout.Token);
            }

            Assert.Equal(["writer:young"], left.Events.Select(e => e.Stream));
        }
        finally
        {
            if (database is not null)
            {
                await PostgresServer.DropDatabaseAsync(database);
            }
        }
    }

    [Fact]
    public void Positions_print_as_strings_that_sort_like_them_and_parse_back()
    {
        var positions = new[] { new EventPosition(1, 900), new EventPosition(2, 3), new EventPosition(0x1_0000, 1) };

        Assert.Equal(positions.Select(p => p.ToString()).Order(StringComparer.Ordinal), positions.Select(p => p.ToString()));
        Assert.All(positions, p => Assert.True(EventPosition.TryParse(p.ToString(), out var parsed) && parsed == p));
        Assert.False(EventPosition.TryParse("not-a-position", out _));
        Assert.True(EventPosition.TryParse(null, out var start) && start == EventPosition.Start);
    }

    private static async Task<EventPosition> EndOfLogAsync(EventFeed feed)
    {
        var end = EventPosition.Start;
        while (true)
        {
            var batch = await feed.ReadAsync(end, 1000, default);
            if (batch.Events.Count == 0)
            {
                return end;
            }

            end = batch.Events[^1].Position;
        }
    }
}
