using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Persistence.Events;
using static OzonActors.Gateway.Tests.Referral.ReferralApi;

namespace OzonActors.Gateway.Tests.Referral;

/// <summary>Referral rewards through the public and internal HTTP API, on the embedded default with a fake clock in Moscow dates.</summary>
public sealed class ReferralApiTests
{
    private const string R = "Regular";

    [Fact]
    public async Task Spend_of_2499_99_annuls_the_month_and_2500_00_credits_it_on_the_reward_date()
    {
        using var factory = StartGateway(Msk(2026, 1, 20, 10));
        var api = factory.CreateApi();
        var (below, enough) = (await api.NewManagerAsync(), await api.NewManagerAsync());
        foreach (var (manager, amount) in new[] { (below, 2499.99m), (enough, 2500.00m) })
        {
            await api.OrderAsync(manager.Id, "o-1", Msk(2026, 1, 5, 10), Msk(2026, 1, 8, 10), (amount - 1000m, R), (1000m, R));
            await api.EarnAsync(manager.Id, "e-1", 150, Msk(2026, 1, 10));
        }

        var summary = await below.GetAsync();
        Assert.Equal("2026-01", summary.Get<string>("month"));
        Assert.Equal(2499.99m, summary.Get<decimal>("qualifyingSpend"));
        Assert.Equal(0.01m, summary.Get<decimal>("leftToQualify"));
        Assert.Equal(150, summary.Get<long>("pendingPoints"));
        Assert.Equal(0, summary.Get<long>("balance"));
        Assert.Equal("2026-02-16", summary.Get<string>("nextRewardDate"));
        Assert.Equal(0m, (await enough.GetAsync()).Get<decimal>("leftToQualify"));

        // Sun 15 Feb 2026: the reward date is Mon 16 Feb, Moscow midnight; nothing is settled a minute before it.
        await factory.AdvanceToAsync(Msk(2026, 2, 15, 23, 59));
        Assert.Empty(await below.SettlementsAsync());
        Assert.Empty(await enough.SettlementsAsync());

        await factory.AdvanceToAsync(Msk(2026, 2, 16, 0, 0));
        var annulled = Assert.Single(await below.SettlementsAsync())!;
        Assert.Equal(("2026-01", "Annulled", 2499.99m, 150L, "2026-02-16"),
            (annulled.Get<string>("month"), annulled.Get<string>("outcome"), annulled.Get<decimal>("spend"), annulled.Get<long>("points"),
             annulled.Get<string>("rewardDate")));
        Assert.Equal(Msk(2026, 2, 16, 0, 0), annulled.Get<DateTimeOffset>("settledAt"));
        var credited = Assert.Single(await enough.SettlementsAsync())!;
        Assert.Equal(("Credited", 2500m, 150L), (credited.Get<string>("outcome"), credited.Get<decimal>("spend"), credited.Get<long>("points")));

        var belowSummary = await below.GetAsync();
        Assert.Equal((0L, 0L), (belowSummary.Get<long>("balance"), belowSummary.Get<long>("pendingPoints")));
        var enoughSummary = await enough.GetAsync();
        Assert.Equal((150L, 0L), (enoughSummary.Get<long>("balance"), enoughSummary.Get<long>("pendingPoints")));
        Assert.Equal("2026-03-16", enoughSummary.Get<string>("nextRewardDate"));

        var belowLedger = await below.LedgerAsync();
        Assert.Equal(["Earned", "Annulled"], belowLedger.Select(e => e!.Get<string>("kind")));
        AssertLedgerSumsTo(belowLedger, 0);
        var enoughLedger = await enough.LedgerAsync();
        Assert.Equal(["Earned", "Credited"], enoughLedger.Select(e => e!.Get<string>("kind")));
        Assert.Equal(("2026-01", 150L), (enoughLedger[1]!.Get<string>("month"), enoughLedger[1]!.Get<long>("balanceChange")));
        AssertLedgerSumsTo(enoughLedger, 150);
    }

    /// <summary>Each exclusion on its own, in an order beside a 1,000 RUB order: spend stays what the regular items paid in money.</summary>
    [Theory]
    [InlineData("deliveryCost")]
    [InlineData("pointsUsed")]
    [InlineData("bonusesUsed")]
    [InlineData("GiftCertificate")]
    [InlineData("PremiumRenewal")]
    [InlineData("Mtpl")]
    [InlineData("legalEntity")]
    public async Task An_excluded_part_of_an_order_leaves_spend_unchanged(string exclusion)
    {
        using var factory = StartGateway(Msk(2026, 1, 20, 10));
        var api = factory.CreateApi();
        var manager = await api.NewManagerAsync();
        await api.OrderAsync(manager.Id, "base", Msk(2026, 1, 5, 10), Msk(2026, 1, 6, 10), (1000m, R));
        Assert.Equal(1000m, (await manager.GetAsync()).Get<decimal>("qualifyingSpend"));

        var body = exclusion switch
        {
            "deliveryCost" => Order("x", manager.Id, "Placed", Msk(2026, 1, 7), [(500m, R)], deliveryCost: 349.50m),
            "pointsUsed" => Order("x", manager.Id, "Placed", Msk(2026, 1, 7), [(500m, R), (349.50m, R)], pointsUsed: 349.50m),
            "bonusesUsed" => Order("x", manager.Id, "Placed", Msk(2026, 1, 7), [(500m, R), (349.50m, R)], bonusesUsed: 349.50m),
            "legalEntity" => Order("x", manager.Id, "Placed", Msk(2026, 1, 7), [(500m, R), (349.50m, R)], legalEntity: true),
            _ => Order("x", manager.Id, "Placed", Msk(2026, 1, 7), [(500m, R), (349.50m, exclusion)]),
        };
        await api.InternalAsync("orders", body);
        var received = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body))!;
        received["status"] = "Received";
        received["at"] = Msk(2026, 1, 9);
        await api.InternalAsync("orders", received);

        // A legal-entity order counts for nothing; otherwise only the 500 RUB of regular items paid in money count.
        Assert.Equal(exclusion == "legalEntity" ? 1000m : 1500m, (await manager.GetAsync()).Get<decimal>("qualifyingSpend"));
    }

    [Fact]
    public async Task An_order_placed_in_one_Moscow_month_and_received_in_the_next_counts_for_neither()
    {
        using var factory = StartGateway(Msk(2026, 2, 2, 10));
        var api = factory.CreateApi();
        var manager = await api.NewManagerAsync();

        // 23:30 on 31 January and 00:30 on 1 February in Moscow are both 31 January in UTC.
        await api.OrderAsync(manager.Id, "across", Msk(2026, 1, 31, 23, 30), Msk(2026, 2, 1, 0, 30), (5000m, R));
        await api.OrderAsync(manager.Id, "january", Msk(2026, 1, 31, 22, 0), Msk(2026, 1, 31, 23, 0), (100m, R));
        await api.OrderAsync(manager.Id, "february", Msk(2026, 2, 1, 0, 10), Msk(2026, 2, 1, 10, 0), (200m, R));
        await api.EarnAsync(manager.Id, "e-jan", 500, Msk(2026, 1, 31, 23, 50));

        var summary = await manager.GetAsync();
        Assert.Equal(("2026-02", 200m), (summary.Get<string>("month"), summary.Get<decimal>("qualifyingSpend")));
        Assert.Equal("2026-02-16", summary.Get<string>("nextRewardDate"));

        await factory.AdvanceToAsync(Msk(2026, 2, 16, 9));
        var january = Assert.Single(await manager.SettlementsAsync())!;
        Assert.Equal(("2026-01", "Annulled", 100m, 500L), (january.Get<string>("month"), january.Get<string>("outcome"), january.Get<decimal>("spend"),
            january.Get<long>("points")));
        Assert.Equal(200m, (await manager.GetAsync()).Get<decimal>("qualifyingSpend"));
    }

    [Fact]
    public async Task A_cancellation_before_the_reward_date_reduces_that_month_and_after_it_the_next()
    {
        using var factory = StartGateway(Msk(2026, 1, 20, 10));
        var api = factory.CreateApi();
        var (before, after) = (await api.NewManagerAsync(), await api.NewManagerAsync());
        foreach (var manager in new[] { before, after })
        {
            await api.OrderAsync(manager.Id, "jan", Msk(2026, 1, 10), Msk(2026, 1, 12), (2400m, R), (600m, R));
            await api.EarnAsync(manager.Id, "e-1", 150, Msk(2026, 1, 15));
        }

        await factory.AdvanceToAsync(Msk(2026, 2, 10, 12));
        foreach (var manager in new[] { before, after })
        {
            await api.OrderAsync(manager.Id, "feb", Msk(2026, 2, 10, 11), Msk(2026, 2, 10, 11, 30), (3000m, R));
        }

        // Before Mon 16 Feb: January loses the item and falls below 2,500 RUB; February keeps its 3,000.
        await api.CancelAsync(before.Id, "jan", Msk(2026, 2, 10, 12), (600m, R));
        Assert.Equal(3000m, (await before.GetAsync()).Get<decimal>("qualifyingSpend"));

        await factory.AdvanceToAsync(Msk(2026, 2, 16, 10));

        // After the reward date: January was settled in full, the item comes off February.
        await api.CancelAsync(after.Id, "jan", Msk(2026, 2, 16, 10), (600m, R));

        var annulled = Assert.Single(await before.SettlementsAsync())!;
        Assert.Equal(("Annulled", 2400m), (annulled.Get<string>("outcome"), annulled.Get<decimal>("spend")));
        var credited = Assert.Single(await after.SettlementsAsync())!;
        Assert.Equal(("Credited", 3000m), (credited.Get<string>("outcome"), credited.Get<decimal>("spend")));

        var beforeSummary = await before.GetAsync();
        Assert.Equal((3000m, 0L), (beforeSummary.Get<decimal>("qualifyingSpend"), beforeSummary.Get<long>("balance")));
        var afterSummary = await after.GetAsync();
        Assert.Equal(("2026-02", 2400m, 100m, 150L),
            (afterSummary.Get<string>("month"), afterSummary.Get<decimal>("qualifyingSpend"), afterSummary.Get<decimal>("leftToQualify"),
             afterSummary.Get<long>("balance")));
    }

    [Fact]
    public async Task A_canceled_order_takes_back_no_more_than_it_added_to_spend()
    {
        using var factory = StartGateway(Msk(2026, 1, 20, 10));
        var api = factory.CreateApi();
        var manager = await api.NewManagerAsync();
        await api.OrderAsync(manager.Id, "cash", Msk(2026, 1, 5), Msk(2026, 1, 6), (1000m, R));
        await api.InternalAsync("orders", Order("points", manager.Id, "Placed", Msk(2026, 1, 7), [(3000m, R)], pointsUsed: 1000m));
        await api.InternalAsync("orders", Order("points", manager.Id, "Received", Msk(2026, 1, 8), [(3000m, R)], pointsUsed: 1000m));
        Assert.Equal(3000m, (await manager.GetAsync()).Get<decimal>("qualifyingSpend"));

        await api.CancelAsync(manager.Id, "points", Msk(2026, 1, 10), (2000m, R));
        Assert.Equal(1000m, (await manager.GetAsync()).Get<decimal>("qualifyingSpend"));

        // The rest of the order: its 1,000 RUB paid with points never counted, so the cash order's spend stays.
        await api.CancelAsync(manager.Id, "points", Msk(2026, 1, 11), (1000m, R));
        Assert.Equal(1000m, (await manager.GetAsync()).Get<decimal>("qualifyingSpend"));
    }

    [Fact]
    public async Task Ninety_nine_points_with_qualifying_spend_carry_into_the_next_month_and_one_hundred_are_credited()
    {
        using var factory = StartGateway(Msk(2026, 1, 20, 10));
        var api = factory.CreateApi();
        var (few, enough) = (await api.NewManagerAsync(), await api.NewManagerAsync());
        foreach (var (manager, points) in new[] { (few, 99L), (enough, 100L) })
        {
            await api.OrderAsync(manager.Id, "jan", Msk(2026, 1, 10), Msk(2026, 1, 12), (3000m, R));
            await api.EarnAsync(manager.Id, "e-jan", points, Msk(2026, 1, 15));
        }

        await factory.AdvanceToAsync(Msk(2026, 2, 16, 10));
        var carried = Assert.Single(await few.SettlementsAsync())!;
        Assert.Equal(("Carried", 99L), (carried.Get<string>("outcome"), carried.Get<long>("points")));
        var fewSummary = await few.GetAsync();
        Assert.Equal((99L, 0L, "2026-03-16"), (fewSummary.Get<long>("pendingPoints"), fewSummary.Get<long>("balance"), fewSummary.Get<string>("nextRewardDate")));
        var fewLedger = await few.LedgerAsync();
        Assert.Equal(["Earned", "Carried"], fewLedger.Select(e => e!.Get<string>("kind")));
        Assert.Contains("2026-02", fewLedger[1]!.Get<string>("note"), StringComparison.Ordinal);
        AssertLedgerSumsTo(fewLedger, 0);

        var enoughSummary = await enough.GetAsync();
        Assert.Equal((0L, 100L), (enoughSummary.Get<long>("pendingPoints"), enoughSummary.Get<long>("balance")));

        // February: the carried 99 and one more point earned, with qualifying spend, are credited on Mon 16 March.
        await api.OrderAsync(few.Id, "feb", Msk(2026, 2, 16, 9, 10), Msk(2026, 2, 16, 9, 20), (2500m, R));
        await api.EarnAsync(few.Id, "e-feb", 1, Msk(2026, 2, 16, 9, 30));
        Assert.Equal(100L, (await few.GetAsync()).Get<long>("pendingPoints"));
        await factory.AdvanceToAsync(Msk(2026, 3, 16, 0, 0));

        var settlements = await few.SettlementsAsync();
        Assert.Equal(["2026-02", "2026-01"], settlements.Select(s => s!.Get<string>("month")));
        Assert.Equal(("Credited", 100L), (settlements[0]!.Get<string>("outcome"), settlements[0]!.Get<long>("points")));
        Assert.Equal(100L, (await few.GetAsync()).Get<long>("balance"));
        AssertLedgerSumsTo(await few.LedgerAsync(), 100);
    }

    [Fact]
    public async Task A_withdrawal_above_the_balance_is_a_409_and_every_movement_keeps_the_ledger_summing_to_the_balance()
    {
        using var factory = StartGateway(Msk(2026, 1, 20, 10));
        var api = factory.CreateApi();
        var manager = await CreditedManagerAsync(factory, api, 150);

        var before = await manager.FiguresAsync();
        var refused = await manager.WithdrawAsync(new { points = 151 }, HttpStatusCode.Conflict);
        Assert.Equal("https://ozon-actors/errors/insufficient-balance", refused.ProblemType());
        Assert.Equal(before, await manager.FiguresAsync());

        var withdrawn = await manager.WithdrawAsync(new { points = 50, requestId = "w-1" }, HttpStatusCode.OK);
        Assert.Equal(("Withdrawn", 50L, -50L, 100L), (withdrawn.Get<string>("kind"), withdrawn.Get<long>("points"), withdrawn.Get<long>("balanceChange"),
            withdrawn.Get<long>("balanceAfter")));
        var replayed = await manager.WithdrawAsync(new { points = 50, requestId = "w-1" }, HttpStatusCode.OK);
        Assert.Equal(withdrawn.Get<long>("sequence"), replayed.Get<long>("sequence"));
        Assert.Equal("https://ozon-actors/errors/idempotency-conflict",
            (await manager.WithdrawAsync(new { points = 60, requestId = "w-1" }, HttpStatusCode.Conflict)).ProblemType());

        // Order ids are case-sensitive: two orders, two payments.
        await api.InternalAsync("spend", new { managerId = manager.Id, points = 30, orderId = "ORD-1" }, HttpStatusCode.OK);
        var second = await api.InternalAsync("spend", new { managerId = manager.Id, points = 30, orderId = "ord-1" }, HttpStatusCode.OK);
        Assert.Equal(("Spent", 40L), (second.Get<string>("kind"), second.Get<long>("balanceAfter")));
        await api.InternalAsync("spend", new { managerId = manager.Id, points = 41, orderId = "ord-2" }, HttpStatusCode.Conflict);

        var correction = new { managerId = manager.Id, correctionId = "c-1", points = -41, note = "Double credit" };
        await api.InternalAsync("corrections", correction, HttpStatusCode.Conflict);
        var corrected = await api.InternalAsync("corrections", correction with { points = 10 }, HttpStatusCode.OK);
        Assert.Equal(("Correction", 10L, 50L, "Double credit"), (corrected.Get<string>("kind"), corrected.Get<long>("balanceChange"),
            corrected.Get<long>("balanceAfter"), corrected.Get<string>("note")));
        await api.InternalAsync("corrections", correction with { points = -50, correctionId = "c-2" }, HttpStatusCode.OK);
        await manager.WithdrawAsync(new { points = 1 }, HttpStatusCode.Conflict);

        var summary = await manager.GetAsync();
        Assert.Equal(0L, summary.Get<long>("balance"));
        var ledger = await manager.LedgerAsync();
        Assert.Equal(["Earned", "Credited", "Withdrawn", "Spent", "Spent", "Correction", "Correction"], ledger.Select(e => e!.Get<string>("kind")));
        AssertLedgerSumsTo(ledger, 0);
    }

    [Fact]
    public async Task Earnings_after_the_program_end_date_are_a_409_and_the_months_before_it_still_settle()
    {
        using var factory = StartGateway(Msk(2026, 2, 2, 10), new Dictionary<string, string?> { ["Referral:ProgramEndsOn"] = "2026-01-31" });
        var api = factory.CreateApi();
        var manager = await api.NewManagerAsync();
        await api.OrderAsync(manager.Id, "jan", Msk(2026, 1, 10), Msk(2026, 1, 12), (3000m, R));

        await api.EarnAsync(manager.Id, "last", 120, Msk(2026, 1, 31, 23, 59));
        var ended = await api.InternalAsync("earnings", Earning("late", manager.Id, 10, Msk(2026, 2, 1, 0, 0)), HttpStatusCode.Conflict);
        Assert.Equal("https://ozon-actors/errors/program-ended", ended.ProblemType());
        Assert.Equal("2026-01-31", (await manager.GetAsync()).Get<string>("programEndsOn"));
        Assert.Equal(120L, (await manager.GetAsync()).Get<long>("pendingPoints"));

        await factory.AdvanceToAsync(Msk(2026, 2, 16, 0, 0));
        var credited = Assert.Single(await manager.SettlementsAsync())!;
        Assert.Equal(("2026-01", "Credited", 120L), (credited.Get<string>("month"), credited.Get<string>("outcome"), credited.Get<long>("points")));
        Assert.Equal(120L, (await manager.GetAsync()).Get<long>("balance"));
    }

    [Fact]
    public async Task A_manager_sees_only_their_own_figures_and_their_events_carry_only_their_audience()
    {
        using var factory = StartGateway(Msk(2026, 1, 20, 10));
        var api = factory.CreateApi();
        var (first, second) = (await api.NewManagerAsync(), await api.NewManagerAsync());
        await api.OrderAsync(first.Id, "o-1", Msk(2026, 1, 5), Msk(2026, 1, 6), (3000m, R));
        await api.EarnAsync(first.Id, "e-1", 150, Msk(2026, 1, 7));
        await api.OrderAsync(second.Id, "o-1", Msk(2026, 1, 5), Msk(2026, 1, 6), (700m, R));
        await api.EarnAsync(second.Id, "e-1", 40, Msk(2026, 1, 7));

        var (mine, theirs) = (await first.GetAsync(), await second.GetAsync());
        Assert.Equal((first.Id, 3000m, 150L), (mine.Get<Guid>("managerId"), mine.Get<decimal>("qualifyingSpend"), mine.Get<long>("pendingPoints")));
        Assert.Equal((second.Id, 700m, 40L), (theirs.Get<Guid>("managerId"), theirs.Get<decimal>("qualifyingSpend"), theirs.Get<long>("pendingPoints")));
        Assert.Equal(150L, Assert.Single(await first.LedgerAsync())!.Get<long>("points"));
        Assert.Equal(40L, Assert.Single(await second.LedgerAsync())!.Get<long>("points"));

        var events = (await factory.Services.GetRequiredService<IEventLog>().ReadAsync(EventPosition.Start, 10_000, CancellationToken.None)).Events
            .Where(e => e.Stream.StartsWith("referral:", StringComparison.Ordinal)).ToList();
        foreach (var manager in new[] { first, second })
        {
            var own = events.Where(e => e.Stream == $"referral:{manager.Id}").ToList();
            Assert.Equal(4, own.Count);
            Assert.All(own, e => Assert.Equal(new[] { $"manager:{manager.Id}" }, e.Audiences));
            Assert.All(events.Except(own), e => Assert.DoesNotContain($"manager:{manager.Id}", e.Audiences));
        }

        Assert.Contains(events, e => e.Type == "ReferralLedgerEntryAdded" && e.Stream == $"referral:{first.Id}");
        Assert.Contains(events, e => e.Type == "ReferralSpendUpdated" && e.Stream == $"referral:{second.Id}");
    }

    [Fact]
    public async Task Internal_endpoints_need_the_key()
    {
        using var factory = StartGateway(Msk(2026, 1, 20, 10));
        var api = factory.CreateApi();
        var manager = await api.NewManagerAsync();
        var bodies = new (string Path, object Body)[]
        {
            ("orders", Order("o-1", manager.Id, "Placed", Msk(2026, 1, 5), [(3000m, R)])),
            ("earnings", Earning("e-1", manager.Id, 150, Msk(2026, 1, 5))),
            ("spend", new { managerId = manager.Id, points = 1, orderId = "o-1" }),
            ("corrections", new { managerId = manager.Id, correctionId = "c-1", points = 100, note = "Gift" }),
        };
        foreach (var (path, body) in bodies)
        {
            foreach (var key in new[] { null, "wrong-key" })
            {
                using var response = await api.PostInternalAsync(path, body, key);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }

            // A manager's own token is no key either.
            await api.SendAsync(HttpMethod.Post, $"/api/internal/referral/{path}", await manager.TokenAsync(), body, HttpStatusCode.Unauthorized);
        }

        Assert.Equal("[]", (await manager.LedgerAsync()).ToJsonString());
        Assert.Equal(0m, (await manager.GetAsync()).Get<decimal>("qualifyingSpend"));
        await api.SendAsync(HttpMethod.Get, "/api/referral/me", null, null, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Bad_input_is_a_400_problem_and_changes_nothing()
    {
        using var factory = StartGateway(Msk(2026, 1, 20, 10));
        var api = factory.CreateApi();
        var manager = await CreditedManagerAsync(factory, api, 150);
        await api.OrderAsync(manager.Id, "feb", Msk(2026, 2, 16, 10), Msk(2026, 2, 16, 11), (1000m, R));
        var before = await manager.FiguresAsync();
        var now = factory.Time.GetUtcNow();
        var id = manager.Id;

        var orders = new object[]
        {
            Order("o-2", id, "Placed", now, []),
            Order("o-2", id, "Placed", now, [(-1m, R)]),
            Order("o-2", id, "Placed", now, [(10.001m, R)]),
            Order("bad id", id, "Placed", now, [(10m, R)]),
            Order("o-2", id, "Placed", now, [(10m, R)], pointsUsed: -5m),
            Order("o-2", id, "Placed", now.AddHours(1), [(10m, R)]),
            new { orderId = "o-2", managerId = id, status = "Placed", at = now, items = new[] { new { amount = 10m, kind = "Antique" } } },
            new { orderId = "o-2", managerId = id, status = "Shipped", at = now, items = new[] { new { amount = 10m, kind = R } } },
            new { orderId = "o-2", managerId = id, at = now, items = new[] { new { amount = 10m, kind = R } } },
            new { orderId = "o-2", status = "Placed", at = now, items = new[] { new { amount = 10m, kind = R } } },
            "{ not json",
        };
        foreach (var body in orders)
        {
            await AssertBadRequestAsync(api, "orders", body);
        }

        foreach (var body in new object[]
        {
            Earning("e-2", id, 0, now),
            Earning("e-2", id, -5, now),
            Earning("", id, 5, now),
            Earning("e-2", id, 5, now.AddHours(1)),
            new { earningId = "e-2", managerId = id, points = 5 },
            new { earningId = "e-2", managerId = id, points = 1.5, at = now },
        })
        {
            await AssertBadRequestAsync(api, "earnings", body);
        }

        await AssertBadRequestAsync(api, "spend", new { managerId = id, points = 0, orderId = "o-9" });
        await AssertBadRequestAsync(api, "spend", new { managerId = id, points = 5 });
        await AssertBadRequestAsync(api, "corrections", new { managerId = id, correctionId = "c-1", points = 0, note = "Zero" });
        await AssertBadRequestAsync(api, "corrections", new { managerId = id, correctionId = "c-1", points = 5, note = " " });
        await AssertBadRequestAsync(api, "corrections", new { managerId = id, correctionId = "c-1", points = 5, note = new string('n', 501) });
        foreach (var body in new object[] { new { points = 0 }, new { points = -10 }, new { }, new { points = 10, requestId = "no spaces" } })
        {
            var problem = await manager.WithdrawAsync(body, HttpStatusCode.BadRequest);
            Assert.Equal("https://ozon-actors/errors/invalid-request", problem.ProblemType());
        }

        Assert.Equal(before, await manager.FiguresAsync());
    }

    [Fact]
    public async Task The_same_earning_id_with_another_payload_is_a_409_and_a_replay_changes_nothing()
    {
        using var factory = StartGateway(Msk(2026, 1, 20, 10));
        var api = factory.CreateApi();
        var manager = await api.NewManagerAsync();
        Assert.True((await api.EarnAsync(manager.Id, "e-1", 150, Msk(2026, 1, 7))).Get<bool>("recorded"));
        await api.OrderAsync(manager.Id, "o-1", Msk(2026, 1, 5), Msk(2026, 1, 6), (3000m, R));
        var before = await manager.FiguresAsync();

        Assert.False((await api.EarnAsync(manager.Id, "e-1", 150, Msk(2026, 1, 7))).Get<bool>("recorded"));
        var changed = await api.InternalAsync("earnings", Earning("e-1", manager.Id, 151, Msk(2026, 1, 7)), HttpStatusCode.Conflict);
        Assert.Equal("https://ozon-actors/errors/idempotency-conflict", changed.ProblemType());
        await api.InternalAsync("earnings", Earning("e-1", manager.Id, 150, Msk(2026, 1, 8)), HttpStatusCode.Conflict);
        var placedAgain = await api.InternalAsync("orders", Order("o-1", manager.Id, "Placed", Msk(2026, 1, 5), [(3000m, R)]));
        Assert.False(placedAgain.Get<bool>("recorded"));
        await api.InternalAsync("orders", Order("o-1", manager.Id, "Placed", Msk(2026, 1, 5), [(3001m, R)]), HttpStatusCode.Conflict);

        Assert.Equal(before, await manager.FiguresAsync());
    }

    /// <summary>A manager whose January (3,000 RUB, <paramref name="points"/> points) was credited on Mon 16 Feb 2026; the clock is then noon that day.</summary>
    private static async Task<ReferralManager> CreditedManagerAsync(GatewayFactory factory, ApiClient api, long points)
    {
        var manager = await api.NewManagerAsync();
        await api.OrderAsync(manager.Id, "credit-jan", Msk(2026, 1, 10), Msk(2026, 1, 12), (3000m, "Regular"));
        await api.EarnAsync(manager.Id, "credit-e", points, Msk(2026, 1, 15));
        await factory.AdvanceToAsync(Msk(2026, 2, 16, 12));
        Assert.Equal(points, (await manager.GetAsync()).Get<long>("balance"));
        return manager;
    }

    private static async Task AssertBadRequestAsync(ApiClient api, string path, object body)
    {
        var problem = await api.InternalAsync(path, body, HttpStatusCode.BadRequest);
        Assert.StartsWith("https://ozon-actors/errors/", problem.ProblemType(), StringComparison.Ordinal);
        Assert.Equal(400, problem.Get<int>("status"));
    }
}
