using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using static OzonActors.Gateway.Tests.Support.StarProductsWorld;

namespace OzonActors.Gateway.Tests.StarProducts;

/// <summary>A seller's program is seen and changed by its own employees only; its events reach that seller only.</summary>
public sealed class StarProductsAccessTests
{
    private static readonly (HttpMethod Method, string Path)[] SellerEndpoints =
    [
        (HttpMethod.Get, ""),
        (HttpMethod.Post, "/connect"),
        (HttpMethod.Post, "/disconnect"),
        (HttpMethod.Get, "/history"),
        (HttpMethod.Get, "/analytics?days=14"),
        (HttpMethod.Get, "/certificates"),
        (HttpMethod.Get, "/certificates?period=2026-11-1"),
    ];

    [Fact]
    public async Task Only_the_sellers_own_employees_see_and_change_its_program()
    {
        await using var world = Start(Msk(2026, 11, 2, 10, 0));
        var director = await world.NewSellerAsync();
        var employee = await world.NewEmployeeAsync(director);
        var other = await world.NewSellerAsync();

        await director.ConnectAsync();
        var seen = await employee.StatusAsync();
        Assert.Equal((director.Id, true), (seen["sellerId"]!.GetValue<Guid>(), seen.Connected()));
        var own = await other.StatusAsync();
        Assert.Equal((other.Id, false, 30), (own["sellerId"]!.GetValue<Guid>(), own.Connected(), own.DaysLeft()));

        await world.MoveToAsync(Msk(2026, 11, 2, 11, 0));
        await other.ConnectAsync();
        await employee.DisconnectAsync("Not for us");
        Assert.False((await director.StatusAsync()).Connected());
        Assert.True((await other.StatusAsync()).Connected());
        Assert.Single(await other.HistoryAsync());

        // A customer's token is not scoped to a company; no token is no caller at all.
        var customer = await world.Api.LoginAsync(ApiClient.NewPhone());
        foreach (var (method, path) in SellerEndpoints)
        {
            await world.Api.SendAsync(method, StarSeller.Path + path, customer.AccessToken, method == HttpMethod.Post ? new { reason = "x" } : null,
                HttpStatusCode.Forbidden);
            using var anonymous = await world.Api.SendRawAsync(method, StarSeller.Path + path, null, method == HttpMethod.Post ? new { reason = "x" } : null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        Assert.False((await director.StatusAsync()).Connected());
        Assert.True((await other.StatusAsync()).Connected());
    }

    [Fact]
    public async Task The_internal_feeds_need_the_internal_key()
    {
        await using var world = Start(Msk(2026, 11, 2, 10, 0));
        var seller = await world.NewSellerAsync(withModeratedProduct: false);
        var customer = await world.Api.LoginAsync(ApiClient.NewPhone());
        var feeds = new (string Path, object Body)[]
        {
            ("/api/internal/products", new { productId = "K-1", sellerId = seller.Id, moderated = true }),
            ("/api/internal/star-products/connect", new { sellerId = seller.Id }),
            ("/api/internal/star-products/orders", OrderBody(seller.Id, Guid.NewGuid(), world.Now, "K-O1", new StarLine("K-1", 100m))),
            ("/api/internal/star-products/views", new { productId = "K-1", customerId = Guid.NewGuid(), at = world.Now }),
        };

        foreach (var (path, body) in feeds)
        {
            foreach (var key in new[] { null, "wrong-key", "" })
            {
                using var response = await world.PostInternalAsync(path, body, key);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }

            using var bearer = await world.Api.SendRawAsync(HttpMethod.Post, path, customer.AccessToken, body);
            Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        }

        var status = await seller.StatusAsync();
        Assert.Equal((false, 0), (status.Connected(), status["moderatedProducts"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Connection_trial_end_and_certificate_events_carry_the_seller_audience_only()
    {
        await using var world = Start(Msk(2026, 11, 2, 10, 0));
        var first = await world.NewSellerAsync();
        var second = await world.NewSellerAsync();

        await first.ConnectAsync();
        await world.MoveToAsync(Msk(2026, 11, 2, 12, 0));
        await first.DisconnectAsync("Testing events");
        await second.ConnectAsync();
        await world.MoveToAsync(Msk(2026, 11, 10, 12, 0));
        await world.OrderAsync(second, Guid.NewGuid(), Msk(2026, 11, 10, 12, 0), "E-1", new StarLine("E-P", 500m));

        // The first period's certificate is issued on 16 November; the second seller's trial ends on 1 December.
        await world.MoveToAsync(Msk(2026, 11, 16, 0, 30));
        await world.MoveToAsync(Msk(2026, 12, 2, 0, 30));

        // Each seller's product passing moderation comes first (StarProductsUpdated), then its program events.
        var firstEvents = (await world.EventsOfAsync(first.Id)).ToList();
        Assert.Equal(["StarProductsUpdated", "StarProductsConnected", "StarProductsDisconnected"], firstEvents.Select(e => e.Type));
        Assert.Equal(1, JsonNode.Parse(firstEvents[0].DataJson)!["moderatedProducts"]!.GetValue<int>());
        var secondEvents = (await world.EventsOfAsync(second.Id)).ToList();
        Assert.Equal(
            ["StarProductsUpdated", "StarProductsConnected", "StarProductsCertificateIssued", "StarProductsTrialEnded"], secondEvents.Select(e => e.Type));
        Assert.All(firstEvents, e => Assert.Equal([$"seller:{first.Id}"], e.Audiences));
        Assert.All(secondEvents, e => Assert.Equal([$"seller:{second.Id}"], e.Audiences));

        var connected = JsonNode.Parse(firstEvents[1].DataJson)!;
        Assert.Equal((first.Id, true), (connected["sellerId"]!.GetValue<Guid>(), connected.Connected()));
        Assert.False(JsonNode.Parse(firstEvents[2].DataJson)!.Connected());
        Assert.Equal("2026-11-1", JsonNode.Parse(secondEvents[2].DataJson)!["period"]!.GetValue<string>());
        Assert.Equal((0, null), JsonNode.Parse(secondEvents[3].DataJson)!.Trial());

        // A client of the first seller replays none of the second's program events, and the reverse.
        var forFirst = await world.EventsForAsync($"seller:{first.Id}");
        Assert.Equal(firstEvents.Select(e => e.Position), forFirst.Where(e => e.Stream.StartsWith("star-products:", StringComparison.Ordinal)).Select(e => e.Position));
        var forSecond = await world.EventsForAsync($"seller:{second.Id}");
        Assert.Equal(secondEvents.Select(e => e.Position), forSecond.Where(e => e.Stream.StartsWith("star-products:", StringComparison.Ordinal)).Select(e => e.Position));
    }
}
