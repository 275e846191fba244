using Microsoft.Extensions.Time.Testing;
using OzonActors.Referral;
using OzonActors.Testing;
using static OzonActors.Gateway.Tests.Referral.ReferralApi;

namespace OzonActors.Gateway.Tests.Referral;

/// <summary>The referral-manager grain in an in-memory cluster with a fake clock.</summary>
public sealed class ReferralGrainTests
{
    [Fact]
    public async Task A_month_settled_after_the_next_one_carries_its_points_into_the_first_open_month()
    {
        var time = new FakeTimeProvider(Msk(2026, 1, 20, 10));
        await using var cluster = await ReferralCluster.StartAsync(time);
        var managerId = Guid.NewGuid();
        var manager = cluster.Manager(managerId);
        ReferralOrderItem[] items = [new(3000m, ReferralItemKind.Regular)];
        await manager.RecordOrderAsync(new ReferralOrderEvent("jan", managerId, ReferralOrderStatus.Placed, Msk(2026, 1, 10), items, 0, 0, 0, false));
        await manager.RecordOrderAsync(new ReferralOrderEvent("jan", managerId, ReferralOrderStatus.Received, Msk(2026, 1, 12), items, 0, 0, 0, false));
        await manager.RecordEarningAsync(new ReferralEarning("e-jan", managerId, 50, Msk(2026, 1, 15)));
        await cluster.AdvanceToAsync(Msk(2026, 2, 10));
        await manager.RecordEarningAsync(new ReferralEarning("e-feb", managerId, 10, Msk(2026, 2, 10)));

        // February's reminder handled before January's, as after downtime when both are overdue: the clock passes both
        // reward dates with no tick delivered, then the ticks come in the wrong order.
        cluster.Time.Advance(Msk(2026, 3, 16, 0, 1) - cluster.Time.GetUtcNow());
        await manager.TickAsync("settle:2026-02", cluster.Time.GetUtcNow());
        await manager.TickAsync("settle:2026-01", cluster.Time.GetUtcNow());

        var settlements = await manager.GetSettlementsAsync();
        Assert.Equal([("2026-02", "Annulled"), ("2026-01", "Carried")], settlements.Select(s => (s.Month, s.Outcome)));
        Assert.Equal(50, (await manager.GetAsync()).PendingPoints);
        var carried = (await manager.GetLedgerAsync()).Single(e => e.Kind == LedgerEntryKind.Carried);
        Assert.Contains("2026-03", carried.Note, StringComparison.Ordinal);

        await cluster.AdvanceToAsync(Msk(2026, 4, 15, 0));
        var march = (await manager.GetSettlementsAsync())[0];
        Assert.Equal(("2026-03", "Annulled", 50L, new DateOnly(2026, 4, 15)), (march.Month, march.Outcome, march.Points, march.RewardDate));
        Assert.Equal(3, (await manager.GetSettlementsAsync()).Count);
    }

    /// <summary>
    /// 200 managers, each running its own seeded random sequence of earnings, order events, withdrawals, payments,
    /// corrections and duplicate settlement reminders, while the clock crosses two reward dates: after every step each
    /// ledger is the previous one plus new entries, its balance changes run to a balance that is never negative, debits
    /// and corrections succeed exactly when the balance covers them, and each month is credited once.
    /// </summary>
    [Fact]
    public async Task The_ledger_sums_to_a_balance_that_never_goes_negative_after_any_sequence_of_operations()
    {
        const int Sequences = 200;
        const int Steps = 40;
        var time = new FakeTimeProvider(Msk(2026, 1, 2, 9));
        await using var cluster = await ReferralCluster.StartAsync(time);
        var clock = new Random(20260116);
        var sequences = Enumerable.Range(0, Sequences).Select(i => new RandomSequence(cluster, i)).ToList();

        for (var step = 0; step < Steps; step++)
        {
            await cluster.AdvanceTimeAsync(TimeSpan.FromHours(clock.Next(12, 85)) + TimeSpan.FromMinutes(clock.Next(60)));
            await Task.WhenAll(sequences.Select(s => s.StepAsync()));
            await Task.WhenAll(sequences.Select(s => s.CheckAsync()));
        }

        Assert.True(time.GetUtcNow() > Msk(2026, 3, 16, 0), "the clock crossed two reward dates");
        var totals = sequences.SelectMany(s => s.Counts).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        foreach (var outcome in new[] { "Credited", "Annulled", "Carried", "debit", "debit-refused", "correction", "correction-refused", "replay", "reminder" })
        {
            Assert.True(totals.GetValueOrDefault(outcome) > 0, $"no '{outcome}' happened in {Sequences} sequences");
        }
    }

    /// <summary>One manager's random operations and the checks after each step.</summary>
    private sealed class RandomSequence(TestCluster cluster, int index)
    {
        private static readonly ReferralItemKind[] Kinds = Enum.GetValues<ReferralItemKind>();

        private readonly Random _random = new(1_000 + index);
        private readonly Guid _id = new($"00000000-0000-0000-0001-{index:D12}");
        private readonly List<ReferralEarning> _earnings = [];
        private readonly List<(ReferralOrderEvent Placed, bool Received, List<ReferralOrderItem> Left)> _orders = [];
        private readonly Dictionary<string, int> _done = [];
        private IReadOnlyList<LedgerEntry> _ledger = [];
        private int _next;

        public Dictionary<string, int> Counts { get; } = [];

        private IReferralManagerGrain Grain => cluster.Manager(_id);

        private DateTimeOffset Now => cluster.Time.GetUtcNow();

        public async Task StepAsync()
        {
            for (var operations = _random.Next(1, 4); operations > 0; operations--)
            {
                await OperateAsync();
            }
        }

        public async Task CheckAsync()
        {
            var summary = await Grain.GetAsync();
            var ledger = await Grain.GetLedgerAsync();
            var settlements = await Grain.GetSettlementsAsync();

            // Immutable: what was there is still there, unchanged.
            Assert.Equal(_ledger, ledger.Take(_ledger.Count));
            _ledger = ledger;
            var running = 0L;
            for (var i = 0; i < ledger.Count; i++)
            {
                running += ledger[i].BalanceChange;
                Assert.Equal(i + 1, ledger[i].Sequence);
                Assert.Equal(running, ledger[i].BalanceAfter);
                Assert.True(running >= 0, $"manager {index}: entry {i + 1} leaves {running}");
            }

            Assert.Equal(summary.Balance, running);
            Assert.Equal(ledger.Count, ledger.Select(e => e.Key).Distinct().Count());
            Assert.Equal(settlements.Count, settlements.Select(s => s.Month).Distinct().Count());
            foreach (var settlement in settlements)
            {
                var credits = ledger.Where(e => e.Kind == LedgerEntryKind.Credited && e.Month == settlement.Month).ToList();
                Assert.Equal(settlement.Outcome == "Credited" ? new[] { settlement.Points } : [], credits.Select(c => c.Points));
            }

            Counts.Clear();
            foreach (var group in settlements.GroupBy(s => s.Outcome))
            {
                Counts[group.Key] = group.Count();
            }

            foreach (var (name, count) in _done)
            {
                Counts[name] = count;
            }
        }

        private void Done(string what) => _done[what] = _done.GetValueOrDefault(what) + 1;

        private DateTimeOffset Recently(int maxMinutes) => Now - TimeSpan.FromMinutes(_random.Next(maxMinutes));

        private async Task OperateAsync()
        {
            var dice = _random.Next(100);
            if (dice < 22)
            {
                if (_earnings.Count > 0 && _random.Next(5) == 0)
                {
                    Assert.False((await Grain.RecordEarningAsync(_earnings[_random.Next(_earnings.Count)])).Recorded);
                    Done("replay");
                    return;
                }

                var earning = new ReferralEarning($"e-{_next++}", _id, _random.Next(1, 90), Recently(720));
                Assert.True((await Grain.RecordEarningAsync(earning)).Recorded);
                _earnings.Add(earning);
            }
            else if (dice < 50)
            {
                await OrderEventAsync();
            }
            else if (dice < 75)
            {
                var balance = (await Grain.GetAsync()).Balance;
                var points = (long)_random.Next(1, (int)balance + 40);
                var kind = _random.Next(2) == 0 ? LedgerEntryKind.Withdrawn : LedgerEntryKind.Spent;
                var key = $"d-{_next++}";
                if (points <= balance)
                {
                    var entry = await Grain.DebitAsync(kind, points, key);
                    Assert.Equal((kind, -points, balance - points), (entry.Kind, entry.BalanceChange, entry.BalanceAfter));
                    Assert.Equal(entry, await Grain.DebitAsync(kind, points, key));
                    Done("debit");
                }
                else
                {
                    var refused = await Assert.ThrowsAsync<DomainException>(() => Grain.DebitAsync(kind, points, key));
                    Assert.Equal((DomainErrorKind.Conflict, "insufficient-balance"), (refused.Kind, refused.Code));
                    Done("debit-refused");
                }
            }
            else if (dice < 90)
            {
                var balance = (await Grain.GetAsync()).Balance;
                var points = _random.Next(-(int)balance - 20, 61);
                points = points == 0 ? 1 : points;
                if (balance + points >= 0)
                {
                    var entry = await Grain.CorrectAsync($"c-{_next++}", points, "Manual fix");
                    Assert.Equal((LedgerEntryKind.Correction, (long)points, balance + points), (entry.Kind, entry.BalanceChange, entry.BalanceAfter));
                    Done("correction");
                }
                else
                {
                    var refused = await Assert.ThrowsAsync<DomainException>(() => Grain.CorrectAsync($"c-{_next++}", points, "Manual fix"));
                    Assert.Equal(DomainErrorKind.Conflict, refused.Kind);
                    Done("correction-refused");
                }
            }
            else
            {
                // A duplicate of a settlement reminder already due.
                var due = new[] { ("2026-01", Msk(2026, 2, 16, 0)), ("2026-02", Msk(2026, 3, 16, 0)) }.Where(m => m.Item2 <= Now).ToList();
                if (due.Count > 0)
                {
                    var (month, at) = due[_random.Next(due.Count)];
                    var before = await Grain.FiguresAsync();
                    await Grain.TickAsync($"settle:{month}", Now);
                    Assert.Equal(before, await Grain.FiguresAsync());
                    Done("reminder");
                }
            }
        }

        private async Task OrderEventAsync()
        {
            if (_orders.Count == 0 || _random.Next(10) < 4)
            {
                var items = Enumerable.Range(0, _random.Next(1, 4))
                    .Select(_ => new ReferralOrderItem(_random.Next(100, 2500) + (_random.Next(100) / 100m), _random.Next(5) == 0 ? Kinds[_random.Next(Kinds.Length)] : ReferralItemKind.Regular))
                    .ToList();
                var placed = new ReferralOrderEvent($"o-{_next++}", _id, ReferralOrderStatus.Placed, Recently(600), items, _random.Next(3) * 99m,
                    _random.Next(4) == 0 ? _random.Next(300) : 0, _random.Next(6) == 0 ? _random.Next(200) : 0, _random.Next(10) == 0);
                Assert.True((await Grain.RecordOrderAsync(placed)).Recorded);
                _orders.Add((placed, false, [.. items]));
                return;
            }

            var index = _random.Next(_orders.Count);
            var (order, received, left) = _orders[index];
            if (!received)
            {
                var at = Recently(120);
                var receivedEvent = order with { Status = ReferralOrderStatus.Received, At = at < order.At ? order.At : at };
                Assert.True((await Grain.RecordOrderAsync(receivedEvent)).Recorded);
                _orders[index] = (order, true, left);
            }
            else if (left.Count > 0)
            {
                var item = left[_random.Next(left.Count)];
                left.Remove(item);

                // One cancellation per instant: an event's key is its order, status and instant.
                Assert.True((await Grain.RecordOrderAsync(order with { Status = ReferralOrderStatus.Canceled, At = Now.AddSeconds(-left.Count), Items = [item] })).Recorded);
            }
            else
            {
                Assert.False((await Grain.RecordOrderAsync(order)).Recorded);
                Done("replay");
            }
        }
    }
}
