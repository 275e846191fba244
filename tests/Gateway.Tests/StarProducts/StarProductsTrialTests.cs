using OzonActors.Gateway.Tests.Support;
using static OzonActors.Gateway.Tests.Support.StarProductsWorld;

namespace OzonActors.Gateway.Tests.StarProducts;

/// <summary>Trial days (RULES §2): every Moscow calendar day connected at any moment uses one; unused days are kept.</summary>
public sealed class StarProductsTrialTests
{
    private static readonly Guid Customer = Guid.Parse("0c000000-0000-0000-0000-000000000001");

    [Fact]
    public async Task Joining_and_leaving_on_the_same_Moscow_day_uses_one_trial_day()
    {
        // 01:00 in Moscow on 2 November is 22:00 UTC on 1 November: the whole visit is one Moscow day but two UTC days.
        await using var world = Start(Msk(2026, 11, 2, 1, 0));
        var seller = await world.NewSellerAsync();
        var before = await seller.StatusAsync();
        Assert.Equal((false, 30, null), (before.Connected(), before.DaysLeft(), before.EndsOn()));

        var joined = await seller.ConnectAsync();
        Assert.True(joined.Connected());
        Assert.Equal((29, "2026-12-01"), joined.Trial());
        Assert.Equal(Msk(2026, 11, 2, 1, 0), joined["connectedSince"]!.GetValue<DateTimeOffset>());

        await world.MoveToAsync(Msk(2026, 11, 2, 23, 30));
        Assert.Equal((29, "2026-12-01"), (await seller.StatusAsync()).Trial());
        var left = await seller.DisconnectAsync("Trying it out");
        Assert.False(left.Connected());
        Assert.Equal((29, null), left.Trial());

        // Back on the same day: that day is counted already.
        await world.MoveToAsync(Msk(2026, 11, 2, 23, 45));
        Assert.Equal((29, "2026-12-01"), (await seller.ConnectAsync()).Trial());
        await world.MoveToAsync(Msk(2026, 11, 2, 23, 50));
        Assert.Equal((29, null), (await seller.DisconnectAsync("Not yet")).Trial());

        await world.MoveToAsync(Msk(2026, 11, 10, 12, 0));
        Assert.Equal((29, null), (await seller.StatusAsync()).Trial());
        Assert.Equal((28, "2026-12-08"), (await seller.ConnectAsync()).Trial());
    }

    [Fact]
    public async Task Rejoining_on_the_last_day_of_a_multi_day_connection_counts_that_day_once()
    {
        // Connected 2–4 November: three days used. Back the same 4 November: still three, not four.
        await using var world = Start(Msk(2026, 11, 2, 10, 0));
        var seller = await world.NewSellerAsync();
        Assert.Equal((29, "2026-12-01"), (await seller.ConnectAsync()).Trial());

        await world.MoveToAsync(Msk(2026, 11, 4, 12, 0));
        Assert.Equal((27, "2026-12-01"), (await seller.StatusAsync()).Trial());
        Assert.Equal((27, null), (await seller.DisconnectAsync("Restocking")).Trial());

        await world.MoveToAsync(Msk(2026, 11, 4, 18, 0));
        Assert.Equal((27, "2026-12-01"), (await seller.ConnectAsync()).Trial());
        await world.MoveToAsync(Msk(2026, 11, 4, 23, 0));
        Assert.Equal((27, null), (await seller.DisconnectAsync("Restocking again")).Trial());

        // The next day is the fourth.
        await world.MoveToAsync(Msk(2026, 11, 5, 9, 0));
        Assert.Equal((26, "2026-12-01"), (await seller.ConnectAsync()).Trial());
    }

    [Fact]
    public async Task A_connection_across_Moscow_midnight_uses_two_trial_days()
    {
        // 23:30 and 00:30 in Moscow are 20:30 and 21:30 UTC of the same UTC day.
        await using var world = Start(Msk(2026, 11, 2, 23, 30));
        var seller = await world.NewSellerAsync();

        Assert.Equal((29, "2026-12-01"), (await seller.ConnectAsync()).Trial());
        await world.MoveToAsync(Msk(2026, 11, 3, 0, 30));
        Assert.Equal((28, "2026-12-01"), (await seller.StatusAsync()).Trial());
        Assert.Equal((28, null), (await seller.DisconnectAsync("Going on holiday")).Trial());

        await world.MoveToAsync(Msk(2026, 11, 20, 9, 0));
        Assert.Equal((28, null), (await seller.StatusAsync()).Trial());
        Assert.Equal((27, "2026-12-17"), (await seller.ConnectAsync()).Trial());
    }

    [Fact]
    public async Task Days_left_on_leaving_are_used_on_rejoining_and_fees_start_exactly_when_they_are_used()
    {
        await using var world = Start(Msk(2026, 11, 1, 10, 0));
        var seller = await world.NewSellerAsync();
        Assert.Equal((29, "2026-11-30"), (await seller.ConnectAsync()).Trial());

        await world.MoveToAsync(Msk(2026, 11, 5, 12, 0));
        var inTrial = await world.OrderAsync(seller, Customer, Msk(2026, 11, 5, 12, 0), "trial-1", new StarLine("P1", 1000m));
        Assert.Equal((true, true, 0m, 1000m), Recorded(inTrial));

        // 1–18 November used: 12 days left, kept while away.
        await world.MoveToAsync(Msk(2026, 11, 18, 12, 0));
        Assert.Equal((12, "2026-11-30"), (await seller.StatusAsync()).Trial());
        Assert.Equal((12, null), (await seller.DisconnectAsync("Seasonal pause")).Trial());

        await world.MoveToAsync(Msk(2026, 11, 25, 12, 0));
        var away = await world.OrderAsync(seller, Customer, Msk(2026, 11, 25, 12, 0), "away-1", new StarLine("P1", 1000m));
        Assert.Equal((true, false, 0m, 0m), Recorded(away));

        // Three weeks later: this day and 11 more are free, so the last free day is 20 December.
        await world.MoveToAsync(Msk(2026, 12, 9, 10, 0));
        Assert.Equal((12, null), (await seller.StatusAsync()).Trial());
        Assert.Equal((11, "2026-12-20"), (await seller.ConnectAsync()).Trial());

        await world.MoveToAsync(Msk(2026, 12, 20, 23, 40));
        Assert.Equal((0, "2026-12-20"), (await seller.StatusAsync()).Trial());
        var lastFree = await world.OrderAsync(seller, Customer, Msk(2026, 12, 20, 23, 30), "last-free", new StarLine("P1", 33.00m));
        Assert.Equal((true, true, 0m, 33.00m), Recorded(lastFree));

        // 00:30 on 21 December in Moscow is still 20 December in UTC, but it is the first paid day.
        await world.MoveToAsync(Msk(2026, 12, 21, 0, 40));
        Assert.Equal((0, null), (await seller.StatusAsync()).Trial());
        var firstPaid = await world.OrderAsync(seller, Customer, new DateTimeOffset(2026, 12, 20, 21, 30, 0, TimeSpan.Zero), "first-paid",
            new StarLine("P1", 33.00m));
        Assert.Equal((true, true, 0.50m, 33.00m), Recorded(firstPaid));

        var history = await seller.HistoryAsync();
        Assert.Equal(
            [("Connect", 11, "2026-12-20"), ("Disconnect", 12, null), ("Connect", 29, "2026-11-30")],
            history.Select(e => (e!["action"]!.GetValue<string>(), e.DaysLeft(), e.EndsOn())));
    }

    [Fact]
    public async Task Leaving_and_rejoining_on_a_paid_day_keeps_that_day_paid()
    {
        await using var world = Start(Msk(2026, 11, 1, 10, 0));
        var seller = await world.NewSellerAsync();
        await seller.ConnectAsync();

        // 5 December is the 35th day: the trial ended on 30 November.
        await world.MoveToAsync(Msk(2026, 12, 5, 10, 0));
        Assert.Equal((0, null), (await seller.StatusAsync()).Trial());
        Assert.Equal(15.00m, (await world.OrderAsync(seller, Customer, Msk(2026, 12, 5, 10, 0), "paid-1", new StarLine("P1", 1000m))).Fee());
        Assert.Equal((0, null), (await seller.DisconnectAsync("Changing prices")).Trial());

        await world.MoveToAsync(Msk(2026, 12, 5, 10, 30));
        Assert.Equal((0, null), (await seller.ConnectAsync()).Trial());
        await world.MoveToAsync(Msk(2026, 12, 5, 10, 45));
        Assert.Equal(15.00m, (await world.OrderAsync(seller, Customer, Msk(2026, 12, 5, 10, 45), "paid-2", new StarLine("P1", 1000m))).Fee());

        // The trial ended once, and only once.
        await world.MoveToAsync(Msk(2026, 12, 6, 0, 30));
        Assert.Equal((0, null), (await seller.StatusAsync()).Trial());
        Assert.Single(await world.EventsOfAsync(seller.Id), e => e.Type == "StarProductsTrialEnded");
    }

    private static (bool Recorded, bool InProgram, decimal Fee, decimal Compensation) Recorded(System.Text.Json.Nodes.JsonNode recorded) =>
        (recorded["recorded"]!.GetValue<bool>(), recorded["inProgram"]!.GetValue<bool>(), recorded.Fee(), recorded.Decimal("compensation"));
}
