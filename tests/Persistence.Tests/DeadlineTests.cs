using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Storage;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

/// <summary>
/// Deadlines: committed with the state, each with an Orleans reminder that exists whenever the state holds the deadline
/// (registered before the write that sets it, removed after the write that clears it), restored at activation, applied
/// before any call once due, and consumed by the write that handles them. The clock is the cluster's fake one;
/// <see cref="TestCluster.FireDueRemindersAsync"/> delivers the ticks.
/// </summary>
public sealed class DeadlineTests : IClassFixture<PostgresDatabase>
{
    private const string Type = DeadlineGrain.Type;

    private readonly PostgresDatabase _database;

    public DeadlineTests(PostgresDatabase database) => _database = database;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_deadline_is_handled_once_when_the_clock_passes_it(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var key = $"once-{postgres}";
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        var due = cluster.Time.GetUtcNow().AddDays(1);
        await grain.ScheduleAsync("answer", due);

        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(23));
        Assert.Empty(await grain.GetFiredAsync());
        Assert.Equal(["answer"], await Inspect.RemindersAsync(cluster, Type, key));

        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(2));
        await cluster.AdvanceTimeAsync(TimeSpan.FromDays(3));

        var fired = Assert.Single(await grain.GetFiredAsync());
        Assert.Equal(("answer", due), (fired.Name, fired.DueAt));
        Assert.Equal(1, DeadlineGrain.Deliveries[key]);
        Assert.Empty(await Inspect.RemindersAsync(cluster, Type, key));
    }

    [Fact]
    public async Task A_deadline_set_again_replaces_the_old_one_and_a_cleared_one_never_fires()
    {
        await using var cluster = await StartAsync(postgres: true);
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>("moved");
        var now = cluster.Time.GetUtcNow();
        await grain.ScheduleAsync("moved", now.AddHours(1));
        await grain.ScheduleAsync("moved", now.AddHours(5));
        await grain.ScheduleAsync("cleared", now.AddHours(2));
        await grain.CancelAsync("cleared");
        Assert.Equal(["moved"], await Inspect.RemindersAsync(cluster, Type, "moved"));

        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(3));
        Assert.Empty(await grain.GetFiredAsync());
        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(3));

        var fired = Assert.Single(await grain.GetFiredAsync());
        Assert.Equal(("moved", now.AddHours(5)), (fired.Name, fired.DueAt));
    }

    [Fact]
    public async Task A_deadline_that_fell_due_while_no_silo_ran_is_handled_after_the_next_start()
    {
        var cluster = await StartAsync(postgres: true);
        var due = cluster.Time.GetUtcNow().AddHours(4);
        await cluster.GrainFactory.GetGrain<IDeadlineGrain>("while-down").ScheduleAsync("wake", due);
        await cluster.DisposeAsync();

        cluster.Time.Advance(TimeSpan.FromDays(2));
        await using var restarted = await TestCluster.StartAsync(cluster.Options);
        await restarted.FireDueRemindersAsync();

        var fired = Assert.Single(await restarted.GrainFactory.GetGrain<IDeadlineGrain>("while-down").GetFiredAsync());
        Assert.Equal(due, fired.DueAt);
        Assert.Equal(cluster.Time.GetUtcNow(), fired.FiredAt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_handler_that_throws_keeps_its_deadline_and_runs_again_on_the_next_tick(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var key = $"flaky-{postgres}";
        DeadlineGrain.FailuresToThrow[key] = 2;
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        await grain.ScheduleAsync("retry-me", cluster.Time.GetUtcNow().AddMinutes(1));

        await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1, DeadlineGrain.Deliveries[key]);
        Assert.Equal(["retry-me"], await Inspect.RemindersAsync(cluster, Type, key));
        Assert.Contains("retry-me", (await Inspect.DeadlinesAsync(cluster, Type, key)).Keys);

        await cluster.FireDueRemindersAsync();
        Assert.Equal(2, DeadlineGrain.Deliveries[key]);
        Assert.Equal(["retry-me"], await Inspect.RemindersAsync(cluster, Type, key));

        await cluster.FireDueRemindersAsync();
        Assert.Equal(3, DeadlineGrain.Deliveries[key]);
        Assert.Single(await grain.GetFiredAsync());
        Assert.Empty(await Inspect.RemindersAsync(cluster, Type, key));

        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(1));
        Assert.Equal(3, DeadlineGrain.Deliveries[key]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_reminder_exists_before_the_write_that_sets_a_deadline_commits_and_goes_only_after_the_write_that_clears_it(bool postgres)
    {
        await using var cluster = await StartAsync(postgres, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor, RemindersAtCommit>());
        var atCommit = cluster.Services.GetServices<IGrainWriteInterceptor>().OfType<RemindersAtCommit>().Single();
        var key = $"ordered-{postgres}";
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        var now = cluster.Time.GetUtcNow();

        await grain.ScheduleAsync("cancelled", now.AddDays(1));
        await grain.CancelAsync("cancelled");
        Assert.Empty(await Inspect.RemindersAsync(cluster, Type, key));

        await grain.ScheduleAsync("handled", now.AddHours(1));
        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(2));
        Assert.Single(await grain.GetFiredAsync());
        Assert.Empty(await Inspect.RemindersAsync(cluster, Type, key));

        // Each commit of this grain: the deadlines it wrote, and the reminder rows that existed at that moment.
        Assert.Equal(
            [
                (["cancelled"], ["cancelled"]), // set: its reminder was already there
                ([], ["cancelled"]), // cleared: its reminder still there
                (["handled"], ["handled"]), // set
                ([], ["handled"]), // the handler's write consumed it; the reminder goes after
            ],
            atCommit.Commits(key).Select(c => (c.Deadlines, c.Reminders)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_deadline_in_a_state_row_without_its_reminder_gets_the_reminder_back_on_activation(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var key = $"restored-{postgres}";
        var due = cluster.Time.GetUtcNow().AddHours(1);

        // A state row written with a deadline and no reminder (as rows from before the move to Orleans reminders are).
        await cluster.Services.GetRequiredService<IGrainStorage>().WriteAsync(new GrainWrite
        {
            StateKey = new StateKey(Type, key),
            ExpectedVersion = 0,
            StateJson = "{}",
            At = cluster.Time.GetUtcNow(),
            DeadlinesJson = JsonSerializer.Serialize(new Dictionary<string, DateTimeOffset> { ["wake"] = due }, GrainJson.Options),
        }, default);
        Assert.Empty(await Inspect.RemindersAsync(cluster, Type, key));

        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["wake"] = due }, await grain.GetDeadlinesAsync());
        Assert.Equal(["wake"], await Inspect.RemindersAsync(cluster, Type, key));

        // A reminder row lost while the grain was not active (a table restored apart from the state) comes back too.
        await grain.ScheduleAsync("later", due.AddHours(1));
        await cluster.DeactivateAsync(grain);
        var table = cluster.Services.GetRequiredService<IReminderTable>();
        var later = await table.ReadRow(GrainId.Create(Type, key), "later");
        Assert.NotNull(later);
        Assert.True(await table.RemoveRow(later.GrainId, later.ReminderName, later.ETag!));
        Assert.Equal(["wake"], await Inspect.RemindersAsync(cluster, Type, key));

        Assert.Equal(2, (await grain.GetDeadlinesAsync()).Count);
        Assert.Equal(["later", "wake"], await Inspect.RemindersAsync(cluster, Type, key));

        // The restored reminders deliver their deadlines.
        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(3));
        Assert.Equal(["later", "wake"], (await grain.GetFiredAsync()).Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Empty(await Inspect.RemindersAsync(cluster, Type, key));
    }

    [Fact]
    public async Task A_starting_silo_on_postgres_wakes_every_deadline_whose_reminder_is_missing()
    {
        var cluster = await StartAsync(postgres: true, o => o.Configuration["Reminders:SweepOnStart"] = "true");
        var key = "swept";
        var guid = Guid.NewGuid();
        var due = cluster.Time.GetUtcNow().AddHours(1);
        var storage = cluster.Services.GetRequiredService<IGrainStorage>();

        // Rows carried over from before reminders were Orleans' (migration 0009): deadlines, no reminder rows. One is
        // string-keyed, one Guid-keyed (stored in its "D" form, named in "N" form by Orleans).
        foreach (var stateKey in new[] { new StateKey(Type, key), new StateKey("test-guid", guid.ToString("D")) })
        {
            await storage.WriteAsync(new GrainWrite
            {
                StateKey = stateKey,
                ExpectedVersion = 0,
                StateJson = "{}",
                At = cluster.Time.GetUtcNow(),
                DeadlinesJson = JsonSerializer.Serialize(new Dictionary<string, DateTimeOffset> { ["wake"] = due }, GrainJson.Options),
            }, default);
        }

        // Nobody calls either grain: the next silo to start finds them.
        await using var restarted = await cluster.RestartAsync();
        var table = restarted.Services.GetRequiredService<IReminderTable>();
        var ids = new[] { GrainId.Create(Type, key), restarted.GrainFactory.GetGrain<IGuidGrain>(guid).GetGrainId() };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var found = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            found = 0;
            foreach (var id in ids)
            {
                found += await table.ReadRow(id, "wake") is null ? 0 : 1;
            }

            if (found == ids.Length)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(ids.Length, found);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tick_for_a_deadline_the_state_does_not_hold_removes_its_reminder_and_runs_no_handler(bool postgres)
    {
        var faulty = false;
        await using var cluster = await StartAsync(postgres, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor>(new SwitchableFault(() => faulty)));
        var key = $"stray-{postgres}";
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        var now = cluster.Time.GetUtcNow();
        await grain.ScheduleAsync("kept", now.AddDays(2));

        // The write that would set "lost" fails after its reminder was registered.
        faulty = true;
        await Assert.ThrowsAsync<IOException>(() => grain.ScheduleAsync("lost", now.AddDays(1)));
        faulty = false;

        // And a reminder row no write ever asked for.
        await cluster.Services.GetRequiredService<IReminderTable>().UpsertRow(new ReminderEntry
        {
            GrainId = GrainId.Create(Type, key),
            ReminderName = "ghost",
            StartAt = DateTime.UtcNow.AddDays(1),
            Period = TimeSpan.FromMinutes(1),
        });
        Assert.Equal(["ghost", "kept", "lost"], await Inspect.RemindersAsync(cluster, Type, key));
        var version = (await Inspect.StateAsync(cluster, Type, key))!.Version;

        // Neither is due, but a stray tick is recognised before the due check.
        await cluster.FireDueRemindersAsync();

        Assert.Equal(["kept"], await Inspect.RemindersAsync(cluster, Type, key));
        Assert.False(DeadlineGrain.Deliveries.ContainsKey(key));
        Assert.Equal(version, (await Inspect.StateAsync(cluster, Type, key))!.Version);
        Assert.Equal(["kept"], (await grain.GetDeadlinesAsync()).Keys);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failed_write_that_moves_a_deadline_leaves_its_reminder_at_the_committed_time(bool postgres)
    {
        var faulty = false;
        await using var cluster = await StartAsync(postgres, o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor>(new SwitchableFault(() => faulty)));
        var key = $"unmoved-{postgres}";
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        var due = cluster.Time.GetUtcNow().AddHours(1);
        await grain.ScheduleAsync("timeout", due);
        var committed = await ReminderStartAsync(cluster, key, "timeout");

        // The write that would move it ten days later fails after the reminder was moved for it.
        faulty = true;
        await Assert.ThrowsAsync<IOException>(() => grain.ScheduleAsync("timeout", due.AddDays(10)));
        faulty = false;

        // The deadline is still the committed one, and so is its reminder: a real tick comes in an hour, not in ten days.
        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["timeout"] = due }, await grain.GetDeadlinesAsync());
        var after = await ReminderStartAsync(cluster, key, "timeout");
        Assert.True(after - committed < TimeSpan.FromDays(1), $"The reminder moved from {committed:O} to {after:O}.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_due_deadline_is_applied_before_any_other_call(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var key = $"raced-{postgres}";
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        var due = cluster.Time.GetUtcNow().AddHours(1);
        await grain.ScheduleAsync("timeout", due);

        // The deadline passes and no tick comes; then a call that would cancel it arrives.
        cluster.Time.Advance(TimeSpan.FromHours(2));
        await grain.CancelAsync("timeout");

        var fired = Assert.Single(await grain.GetFiredAsync());
        Assert.Equal(("timeout", due), (fired.Name, fired.DueAt));
        Assert.Equal(1, DeadlineGrain.Deliveries[key]);
        Assert.Empty(await Inspect.DeadlinesAsync(cluster, Type, key));
        Assert.Empty(await Inspect.RemindersAsync(cluster, Type, key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_handled_deadline_is_gone_from_state_and_table_and_a_repeated_tick_does_not_run_it_again(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var writing = $"consumed-{postgres}";
        var quiet = $"consumed-quietly-{postgres}";
        DeadlineGrain.QuietHandlers[quiet] = true;
        var now = cluster.Time.GetUtcNow();
        foreach (var key in new[] { writing, quiet })
        {
            await cluster.GrainFactory.GetGrain<IDeadlineGrain>(key).ScheduleAsync("once", now.AddHours(1));
        }

        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(2));

        // The handler's own write consumed it, or (the quiet handler writes nothing) a write of the facet's.
        Assert.Single(await cluster.GrainFactory.GetGrain<IDeadlineGrain>(writing).GetFiredAsync());
        foreach (var key in new[] { writing, quiet })
        {
            Assert.Equal(1, DeadlineGrain.Deliveries[key]);
            Assert.Empty(await Inspect.DeadlinesAsync(cluster, Type, key));
            Assert.Equal(2, (await Inspect.StateAsync(cluster, Type, key))!.Version);
            Assert.Empty(await Inspect.RemindersAsync(cluster, Type, key));
        }

        // A tick delivered again (a retried tick after a crash) finds nothing to do.
        foreach (var key in new[] { writing, quiet })
        {
            await cluster.GrainFactory.GetGrain<IRemindable>(GrainId.Create(Type, key))
                .ReceiveReminder("once", new TickStatus(now.UtcDateTime, TimeSpan.FromMinutes(1), now.AddHours(2).UtcDateTime));
            Assert.Equal(1, DeadlineGrain.Deliveries[key]);
            Assert.Equal(2, (await Inspect.StateAsync(cluster, Type, key))!.Version);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_handler_that_sets_its_deadline_again_keeps_it_with_its_reminder(bool postgres)
    {
        await using var cluster = await StartAsync(postgres);
        var key = $"rearmed-{postgres}";
        DeadlineGrain.RearmAfter[key] = TimeSpan.FromHours(1);
        var grain = cluster.GrainFactory.GetGrain<IDeadlineGrain>(key);
        var due = cluster.Time.GetUtcNow().AddHours(1);
        await grain.ScheduleAsync("repeat", due);

        await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(90));
        Assert.Single(await grain.GetFiredAsync());
        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["repeat"] = due.AddHours(1) }, await Inspect.DeadlinesAsync(cluster, Type, key));
        Assert.Equal(["repeat"], await Inspect.RemindersAsync(cluster, Type, key));

        await cluster.AdvanceTimeAsync(TimeSpan.FromHours(1));
        Assert.Equal([due, due.AddHours(1)], (await grain.GetFiredAsync()).Select(f => f.DueAt));
        Assert.Empty(await Inspect.DeadlinesAsync(cluster, Type, key));
        Assert.Empty(await Inspect.RemindersAsync(cluster, Type, key));
    }

    [Fact]
    public async Task Two_thousand_deadlines_on_postgres_all_fire_none_lost()
    {
        var database = await PostgresServer.CreateDatabaseAsync("rem");
        try
        {
            await using var cluster = await Clusters.StartAsync(database);
            var now = cluster.Time.GetUtcNow();
            await Parallel.ForEachAsync(Enumerable.Range(0, 2_000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
                await cluster.GrainFactory.GetGrain<IDeadlineGrain>($"bulk-{i}")
                    .ScheduleAsync("bulk", now.AddSeconds(1 + (i % 600))));

            await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(11));

            Assert.Equal(0, await Inspect.ScalarAsync(database, "SELECT count(*) FROM ozon.orleansreminderstable"));
            Assert.Equal(0, await Inspect.ScalarAsync(database, "SELECT count(*) FROM ozon.grain_state WHERE deadlines <> '{}'::jsonb"));
            Assert.Equal(2_000, await Inspect.ScalarAsync(database,
                "SELECT count(*) FROM ozon.grain_state WHERE grain_type = 'test-deadline' AND grain_key LIKE 'bulk-%' AND jsonb_array_length(state->'fired') = 1"));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    /// <summary>The instant (real time) the reminder's first tick is due, as the reminder table holds it.</summary>
    private static async Task<DateTime> ReminderStartAsync(TestCluster cluster, string key, string name)
    {
        var row = await cluster.Services.GetRequiredService<IReminderTable>().ReadRow(GrainId.Create(Type, key), name);
        Assert.NotNull(row);
        return row.StartAt;
    }

    private Task<TestCluster> StartAsync(bool postgres, Action<TestClusterOptions>? configure = null) =>
        Clusters.StartAsync(postgres ? _database.ConnectionString : null, configure);

    /// <summary>
    /// At each commit of a test-deadline grain whose key starts with "ordered", records the deadlines being written and
    /// the grain's rows in the reminder table at that moment (on PostgreSQL: inside the open transaction, just before
    /// COMMIT).
    /// </summary>
    private sealed class RemindersAtCommit(IServiceProvider services) : IGrainWriteInterceptor
    {
        private readonly ConcurrentQueue<(string Key, string[] Deadlines, string[] Reminders)> _commits = new();

        public IEnumerable<(string[] Deadlines, string[] Reminders)> Commits(string key) =>
            _commits.Where(c => c.Key == key).Select(c => (c.Deadlines, c.Reminders));

        public async ValueTask BeforeCommitAsync(GrainWrite write, CancellationToken cancellationToken)
        {
            if (write.StateKey.Type != Type || !write.StateKey.Key.StartsWith("ordered", StringComparison.Ordinal))
            {
                return;
            }

            var deadlines = JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(write.DeadlinesJson, GrainJson.Options)!;
            var reminders = await Inspect.RemindersAsync(services, Type, write.StateKey.Key);
            _commits.Enqueue((write.StateKey.Key, [.. deadlines.Keys.Order(StringComparer.Ordinal)], reminders));
        }
    }
}
