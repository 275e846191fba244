using Microsoft.Extensions.DependencyInjection;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Persistence.Events;
using static OzonActors.Gateway.Tests.Referral.ReferralApi;

namespace OzonActors.Gateway.Tests.Referral;

/// <summary>
/// RULES §3: an order event that comes after its month's reward date changes the open month (the first whose reward
/// date has not yet come), visibly, never a settled month, and is never lost.
/// </summary>
public sealed class ReferralCorrectionsTests
{
    private const string R = "Regular";

    [Fact]
    public async Task A_cancellation_after_the_next_months_reward_date_is_deducted_from_the_open_month_not_lost_in_a_month_already_past()
    {
        using var factory = StartGateway(Msk(2026, 9, 20, 10));
        var api = factory.CreateApi();
        var manager = await api.NewManagerAsync();
        await api.OrderAsync(manager.Id, "sep", Msk(2026, 9, 5), Msk(2026, 9, 8), (2000m, R), (1000m, R));
        await api.EarnAsync(manager.Id, "e-sep", 150, Msk(2026, 9, 10));

        // Nothing at all in October; November has its own 3,000 RUB and points.
        await factory.AdvanceToAsync(Msk(2026, 11, 5, 12));
        await api.OrderAsync(manager.Id, "nov", Msk(2026, 11, 5, 10), Msk(2026, 11, 5, 11), (3000m, R));
        await api.EarnAsync(manager.Id, "e-nov", 120, Msk(2026, 11, 5, 11, 30));

        // 25 November: September's reward date (15 October) and October's (16 November) have both passed.
        await factory.AdvanceToAsync(Msk(2026, 11, 25, 12));
        await api.CancelAsync(manager.Id, "sep", Msk(2026, 11, 25, 12), (1000m, R));

        var summary = await manager.GetAsync();
        Assert.Equal(2000m, summary.Get<decimal>("qualifyingSpend"));
        var correction = Assert.Single(summary["corrections"]!.AsArray())!;
        Assert.Equal(("sep", "LateCancellation", "2026-09", "2026-11", -1000m),
            (correction.Get<string>("orderId"), correction.Get<string>("reason"), correction.Get<string>("orderMonth"), correction.Get<string>("month"),
             correction.Get<decimal>("amount")));
        var events = (await factory.Services.GetRequiredService<IEventLog>().ReadAsync(EventPosition.Start, 10_000, CancellationToken.None)).Events;
        Assert.Single(events, e => e.Stream == $"referral:{manager.Id}" && e.Type == "ReferralSpendCorrected");

        // October was never anyone's open month; November settles on 15 December without the canceled 1,000 RUB.
        await factory.AdvanceToAsync(Msk(2026, 12, 15, 10));
        var settlements = await manager.SettlementsAsync();
        Assert.Equal(["2026-11", "2026-09"], settlements.Select(s => s!.Get<string>("month")));
        var november = settlements[0]!;
        Assert.Equal(("Annulled", 2000m, 120L), (november.Get<string>("outcome"), november.Get<decimal>("spend"), november.Get<long>("points")));
        Assert.Equal("sep", Assert.Single(november["corrections"]!.AsArray())!.Get<string>("orderId"));
        Assert.Equal(("Credited", 3000m), (settlements[1]!.Get<string>("outcome"), settlements[1]!.Get<decimal>("spend")));
    }

    [Fact]
    public async Task A_receipt_arriving_after_its_month_was_settled_is_not_ignored_but_a_visible_correction_of_the_open_month()
    {
        using var factory = StartGateway(Msk(2026, 9, 20, 10));
        var api = factory.CreateApi();
        var manager = await api.NewManagerAsync();
        await api.InternalAsync("orders", Order("sep", manager.Id, "Placed", Msk(2026, 9, 5), [(3000m, R)]));
        await api.EarnAsync(manager.Id, "e-sep", 150, Msk(2026, 9, 10));

        // September is settled on 15 October without the order: its receipt had not come.
        await factory.AdvanceToAsync(Msk(2026, 10, 20, 12));
        Assert.Equal("Annulled", Assert.Single(await manager.SettlementsAsync())!.Get<string>("outcome"));

        // The receipt of 25 September arrives on 20 October: October is the open month and gets the spend, visibly.
        await api.InternalAsync("orders", Order("sep", manager.Id, "Received", Msk(2026, 9, 25), [(3000m, R)]));
        var summary = await manager.GetAsync();
        Assert.Equal(("2026-10", 3000m), (summary.Get<string>("month"), summary.Get<decimal>("qualifyingSpend")));
        var correction = Assert.Single(summary["corrections"]!.AsArray())!;
        Assert.Equal(("sep", "LateReceipt", "2026-09", "2026-10", 3000m),
            (correction.Get<string>("orderId"), correction.Get<string>("reason"), correction.Get<string>("orderMonth"), correction.Get<string>("month"),
             correction.Get<decimal>("amount")));
        var events = (await factory.Services.GetRequiredService<IEventLog>().ReadAsync(EventPosition.Start, 10_000, CancellationToken.None)).Events;
        Assert.Single(events, e => e.Stream == $"referral:{manager.Id}" && e.Type == "ReferralSpendCorrected");

        // A replay of the receipt moves nothing; October qualifies with it on 16 November.
        await api.InternalAsync("orders", Order("sep", manager.Id, "Received", Msk(2026, 9, 25), [(3000m, R)]));
        await api.EarnAsync(manager.Id, "e-oct", 110, Msk(2026, 10, 20, 11));
        await factory.AdvanceToAsync(Msk(2026, 11, 16, 10));
        var october = (await manager.SettlementsAsync())[0]!;
        Assert.Equal(("2026-10", "Credited", 3000m, 110L), (october.Get<string>("month"), october.Get<string>("outcome"), october.Get<decimal>("spend"),
            october.Get<long>("points")));
        Assert.Equal(110L, (await manager.GetAsync()).Get<long>("balance"));
    }

    /// <summary>
    /// Issue 12, "rows that grow forever": a manager kept every order and every feed key for good. Keys are now forgotten
    /// after the replay window (Referral:KeyRetention, 90 days) at a settlement, with the orders no key refers to.
    /// </summary>
    [Fact]
    public async Task A_managers_keys_and_orders_are_forgotten_after_the_replay_window_so_the_state_grows_with_the_window_not_the_years()
    {
        using var factory = StartGateway(Msk(2026, 1, 3, 10));
        var api = factory.CreateApi();
        var manager = await api.NewManagerAsync();
        for (var month = 1; month <= 8; month++)
        {
            await factory.AdvanceToAsync(Msk(2026, month, 3, 12));
            await api.OrderAsync(manager.Id, $"o-{month}", Msk(2026, month, 3, 10), Msk(2026, month, 3, 11), (3000m, R));
        }

        await factory.AdvanceToAsync(Msk(2026, 9, 16, 12)); // August settled
        var state = System.Text.Json.Nodes.JsonNode.Parse((await factory.Services.GetRequiredService<Persistence.Storage.IGrainStorage>()
            .ReadAsync(new Persistence.StateKey("referral-manager", manager.Id.ToString("D")), CancellationToken.None))!.Json)!;
        var orders = state["orders"]!.AsObject().Select(o => o.Key).ToList();
        Assert.DoesNotContain("o-1", orders);
        Assert.Contains("o-8", orders);
        Assert.InRange(orders.Count, 2, 3); // those applied within 90 days of the last settlement
        Assert.InRange(state["keys"]!.AsObject().Count, 4, 6);

        // Inside the window a replay is still a replay.
        var replay = await api.InternalAsync("orders", Order("o-8", manager.Id, "Placed", Msk(2026, 8, 3, 10), [(3000m, R)]));
        Assert.False(replay.Get<bool>("recorded"));
    }
}
