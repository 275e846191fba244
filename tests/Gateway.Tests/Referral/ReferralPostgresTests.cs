using Microsoft.Extensions.Time.Testing;
using OzonActors.Referral;
using OzonActors.Testing;
using static OzonActors.Gateway.Tests.Referral.ReferralApi;

namespace OzonActors.Gateway.Tests.Referral;

/// <summary>Settlement on PostgreSQL: restarts, duplicate reminders and replayed feeds.</summary>
public sealed class ReferralPostgresTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_settlement_racing_a_restart_and_duplicate_reminders_credits_once_and_replaying_every_event_changes_no_figure()
    {
        var time = new FakeTimeProvider(Msk(2026, 1, 20, 10));
        var cluster = await ReferralCluster.StartAsync(time, database.ConnectionString);
        try
        {
            var id = Guid.NewGuid();
            ReferralOrderItem[] items = [new(1800m, ReferralItemKind.Regular), new(900m, ReferralItemKind.Regular), new(500m, ReferralItemKind.Mtpl)];
            var orders = new List<ReferralOrderEvent>
            {
                new("o-1", id, ReferralOrderStatus.Placed, Msk(2026, 1, 5), items, 199m, 100m, 0, false),
                new("o-1", id, ReferralOrderStatus.Received, Msk(2026, 1, 9), items, 199m, 100m, 0, false),
                new("o-1", id, ReferralOrderStatus.Canceled, Msk(2026, 1, 12), [items[1]], 0, 0, 0, false),
                new("o-2", id, ReferralOrderStatus.Placed, Msk(2026, 1, 13), [new(1000m, ReferralItemKind.Regular)], 0, 0, 0, false),
                new("o-2", id, ReferralOrderStatus.Received, Msk(2026, 1, 14), [new(1000m, ReferralItemKind.Regular)], 0, 0, 0, false),
            };
            var earnings = new List<ReferralEarning>
            {
                new("e-1", id, 70, Msk(2026, 1, 3)),
                new("e-2", id, 45, Msk(2026, 1, 18)),
            };
            var grain = cluster.Manager(id);
            foreach (var order in orders)
            {
                Assert.True((await grain.RecordOrderAsync(order)).Recorded);
            }

            foreach (var earning in earnings)
            {
                Assert.True((await grain.RecordEarningAsync(earning)).Recorded);
            }

            var summary = await grain.GetAsync();
            Assert.Equal((2700m, 115L, new DateOnly(2026, 2, 16)), (summary.QualifyingSpend, summary.PendingPoints, summary.NextRewardDate));

            // Past the reward date: the running silo's reminder loop may settle now, while the silo restarts.
            time.Advance(Msk(2026, 2, 16, 0, 5) - time.GetUtcNow());
            cluster = await cluster.RestartAsync();
            grain = cluster.Manager(id);
            await Task.WhenAll(
                cluster.FireDueRemindersAsync(),
                grain.TickAsync("settle:2026-01", time.GetUtcNow()),
                grain.TickAsync("settle:2026-01", time.GetUtcNow()));
            await grain.TickAsync("settle:2026-01", time.GetUtcNow());
            await cluster.FireDueRemindersAsync();

            var settlement = Assert.Single(await grain.GetSettlementsAsync());
            Assert.Equal(("2026-01", "Credited", 2700m, 115L), (settlement.Month, settlement.Outcome, settlement.Spend, settlement.Points));
            var ledger = await grain.GetLedgerAsync();
            var credit = Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Credited);
            Assert.Equal((115L, 115L, "2026-01"), (credit.BalanceChange, credit.BalanceAfter, credit.Month));
            Assert.Equal(115, (await grain.GetAsync()).Balance);
            var figures = await grain.FiguresAsync();

            // Every feed event again, after the settlement and after another restart: nothing moves.
            cluster = await cluster.RestartAsync();
            grain = cluster.Manager(id);
            Assert.Equal(figures, await grain.FiguresAsync());
            foreach (var order in orders)
            {
                Assert.False((await grain.RecordOrderAsync(order)).Recorded);
            }

            foreach (var earning in earnings)
            {
                Assert.False((await grain.RecordEarningAsync(earning)).Recorded);
            }

            await grain.TickAsync("settle:2026-01", time.GetUtcNow());
            await cluster.FireDueRemindersAsync();
            Assert.Equal(figures, await grain.FiguresAsync());
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_settlement_tick_before_the_reward_date_settles_nothing_and_waits_for_the_date()
    {
        // Settled on Mon 16 Feb 2026 by the calendar the reminder was set with; then 16 February becomes a day off.
        var time = new FakeTimeProvider(Msk(2026, 1, 20, 10));
        var cluster = await ReferralCluster.StartAsync(time, database.ConnectionString);
        try
        {
            var id = Guid.NewGuid();
            var grain = cluster.Manager(id);
            ReferralOrderItem[] items = [new(3000m, ReferralItemKind.Regular)];
            await grain.RecordOrderAsync(new ReferralOrderEvent("o-1", id, ReferralOrderStatus.Placed, Msk(2026, 1, 5), items, 0, 0, 0, false));
            await grain.RecordOrderAsync(new ReferralOrderEvent("o-1", id, ReferralOrderStatus.Received, Msk(2026, 1, 8), items, 0, 0, 0, false));
            await grain.RecordEarningAsync(new ReferralEarning("e-1", id, 150, Msk(2026, 1, 10)));
            Assert.Equal(new DateOnly(2026, 2, 16), (await grain.GetAsync()).NextRewardDate);

            cluster.Options.Configuration["Referral:Calendar:Years:2026:DaysOff:0"] = "2026-02-16";
            cluster = await cluster.RestartAsync();
            grain = cluster.Manager(id);

            // The reminder of 16 February ticks, and is fired again by hand: the reward date is now the 17th.
            time.Advance(Msk(2026, 2, 16, 0, 5) - time.GetUtcNow());
            await cluster.FireDueRemindersAsync();
            await grain.TickAsync("settle:2026-01", time.GetUtcNow());
            Assert.Empty(await grain.GetSettlementsAsync());
            var summary = await grain.GetAsync();
            Assert.Equal((150L, 0L, new DateOnly(2026, 2, 17)), (summary.PendingPoints, summary.Balance, summary.NextRewardDate));

            await cluster.AdvanceToAsync(Msk(2026, 2, 17, 0, 5));
            var settlement = Assert.Single(await grain.GetSettlementsAsync());
            Assert.Equal(("2026-01", "Credited", new DateOnly(2026, 2, 17)), (settlement.Month, settlement.Outcome, settlement.RewardDate));
            Assert.Equal(150, (await grain.GetAsync()).Balance);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
