using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using static OzonActors.Gateway.Tests.Support.StarProductsWorld;

namespace OzonActors.Gateway.Tests.StarProducts;

/// <summary>Analytics: open 14 days after activation; windows of 14, 21, 30 or 90 Moscow days ending today.</summary>
public sealed class StarProductsAnalyticsTests
{
    [Fact]
    public async Task Analytics_open_fourteen_days_after_activation_and_each_window_counts_its_own_days()
    {
        // Activation at 01:00 in Moscow: analytics open at 01:00 on 15 August, which is still 14 August in UTC.
        await using var world = Start(Msk(2026, 8, 1, 1, 0));
        var seller = await world.NewSellerAsync();
        var (p1, p2) = ($"A1-{seller.Id:N}", $"A2-{seller.Id:N}");
        await world.RecordProductAsync(seller.Id, p1, moderated: true);
        await world.RecordProductAsync(seller.Id, p2, moderated: true);
        var closed = await seller.AnalyticsAsync(14, HttpStatusCode.Conflict);
        Assert.Equal("https://ozon-actors/errors/analytics-not-available", closed.ProblemType());

        await seller.ConnectAsync();
        await world.MoveToAsync(Msk(2026, 8, 15, 0, 59));
        var early = await seller.AnalyticsAsync(14, HttpStatusCode.Conflict);
        Assert.Equal("https://ozon-actors/errors/analytics-not-available", early.ProblemType());
        Assert.Contains("2026-08-15 01:00 Moscow time", early["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Msk(2026, 8, 15, 1, 0), (await seller.StatusAsync())["analyticsAvailableFrom"]!.GetValue<DateTimeOffset>());

        await world.MoveToAsync(Msk(2026, 8, 15, 1, 0));
        var empty = await seller.AnalyticsAsync(14);
        Assert.Equal(("2026-08-02", "2026-08-15"), (empty["from"]!.GetValue<string>(), empty["to"]!.GetValue<string>()));
        Assert.Equal((0m, 0m, 0L), Figures(empty));
        foreach (var bad in new[] { "?days=7", "?days=0", "?days=abc", "" })
        {
            await seller.GetAsync("/analytics" + bad, HttpStatusCode.BadRequest);
        }

        // Today is 29 October: the windows start on 16 Oct (14), 9 Oct (21), 30 Sep (30) and 1 Aug (90).
        await world.MoveToAsync(Msk(2026, 10, 29, 12, 0));
        StarView[] views =
        [
            new(p1, C(1), Msk(2026, 8, 5, 12, 0)), new(p1, C(2), Msk(2026, 8, 5, 12, 5)),
            new(p1, C(3), Msk(2026, 10, 5, 10, 0)), new(p1, C(3), Msk(2026, 10, 5, 11, 0)), new(p2, C(4), Msk(2026, 10, 5, 12, 0)),
            new(p1, C(6), Msk(2026, 10, 12, 12, 0)), new(p2, C(1), Msk(2026, 10, 12, 12, 5)),
            new(p1, C(11), Msk(2026, 10, 15, 23, 30)), // still 15 October in Moscow: not in the 14-day window
            new(p1, C(12), new DateTimeOffset(2026, 10, 15, 21, 30, 0, TimeSpan.Zero)), // 16 October 00:30 in Moscow
            new(p1, C(7), Msk(2026, 10, 20, 12, 0)), new(p1, C(8), Msk(2026, 10, 20, 12, 5)), new(p2, C(10), Msk(2026, 10, 20, 12, 10)),
        ];
        var recorded = await world.ViewsAsync(views);
        Assert.Equal((12, 12, 0), (recorded["received"]!.GetValue<int>(), recorded["programViews"]!.GetValue<int>(), recorded["unknownProducts"]!.GetValue<int>()));
        await world.OrderAsync(seller, C(1), Msk(2026, 8, 5, 13, 0), "A-1", new StarLine(p1, 100m));
        await world.OrderAsync(seller, C(3), Msk(2026, 10, 5, 13, 0), "A-2", new StarLine(p1, 200m));
        await world.OrderAsync(seller, C(6), Msk(2026, 10, 12, 13, 0), "A-3", new StarLine(p1, 50m));
        await world.OrderAsync(seller, C(7), Msk(2026, 10, 20, 13, 0), "A-4", new StarLine(p1, 10.30m, 2));

        // Viewers, buyers, turnover and views of each window; C1 viewed on two days and counts once.
        var expected = new Dictionary<int, (string From, long Viewers, long Buyers, decimal Share, decimal Turnover, long Views)>
        {
            [14] = ("2026-10-16", 4, 1, 0.25m, 20.60m, 4),
            [21] = ("2026-10-09", 7, 2, 0.2857m, 70.60m, 7),
            [30] = ("2026-09-30", 9, 3, 0.3333m, 270.60m, 10),
            [90] = ("2026-08-01", 10, 4, 0.4m, 370.60m, 12),
        };
        await AssertWindowsAsync(seller, expected);

        // Replays change nothing: the same views again, the same order again.
        Assert.Equal(12, (await world.ViewsAsync(views))["programViews"]!.GetValue<int>());
        var replay = await world.OrderAsync(seller, C(7), Msk(2026, 10, 20, 13, 0), "A-4", new StarLine(p1, 10.30m, 2));
        Assert.False(replay["recorded"]!.GetValue<bool>());
        await AssertWindowsAsync(seller, expected);

        // Views of unknown products and of a seller not in the program count for nobody here.
        var outsider = await world.NewSellerAsync(withModeratedProduct: false);
        await world.RecordProductAsync(outsider.Id, $"O-{outsider.Id:N}", moderated: true);
        var others = await world.ViewsAsync(
            new StarView("no-such-product", C(20), Msk(2026, 10, 29, 11, 0)), new StarView($"O-{outsider.Id:N}", C(21), Msk(2026, 10, 29, 11, 0)));
        Assert.Equal((2, 0, 1), (others["received"]!.GetValue<int>(), others["programViews"]!.GetValue<int>(), others["unknownProducts"]!.GetValue<int>()));
        await AssertWindowsAsync(seller, expected);
    }

    [Fact]
    public async Task Analytics_of_another_seller_stay_closed_and_the_feed_takes_single_views()
    {
        await using var world = Start(Msk(2026, 11, 1, 10, 0));
        var seller = await world.NewSellerAsync();
        var product = $"S-{seller.Id:N}";
        await world.RecordProductAsync(seller.Id, product, moderated: true);
        var other = await world.NewSellerAsync();
        await seller.ConnectAsync();
        await world.MoveToAsync(Msk(2026, 11, 20, 10, 0));

        var single = await world.PostInternalAsync("/api/internal/star-products/views",
            new { productId = product, customerId = C(1), at = Msk(2026, 11, 20, 9, 0) }, HttpStatusCode.Accepted);
        Assert.Equal(1, single["programViews"]!.GetValue<int>());
        Assert.Equal((0m, 0m, 1L), Figures(await seller.AnalyticsAsync(14)));
        Assert.Equal("https://ozon-actors/errors/analytics-not-available", (await other.AnalyticsAsync(14, HttpStatusCode.Conflict)).ProblemType());
    }

    private static async Task AssertWindowsAsync(
        StarSeller seller, Dictionary<int, (string From, long Viewers, long Buyers, decimal Share, decimal Turnover, long Views)> expected)
    {
        foreach (var (days, window) in expected)
        {
            var analytics = await seller.AnalyticsAsync(days);
            Assert.Equal(days, analytics["days"]!.GetValue<int>());
            Assert.Equal((window.From, "2026-10-29"), (analytics["from"]!.GetValue<string>(), analytics["to"]!.GetValue<string>()));
            Assert.Equal((window.Viewers, window.Buyers), (analytics["viewers"]!.GetValue<long>(), analytics["buyers"]!.GetValue<long>()));
            Assert.Equal((window.Share, window.Turnover, window.Views), Figures(analytics));
        }
    }

    /// <summary>The three figures: share of active customers, turnover, views.</summary>
    private static (decimal Share, decimal Turnover, long Views) Figures(JsonNode analytics) =>
        (analytics.Decimal("activeCustomerShare"), analytics.Decimal("turnover"), analytics["views"]!.GetValue<long>());

    private static Guid C(int number) => Guid.Parse($"0c000000-0000-0000-0000-{number:D12}");
}
