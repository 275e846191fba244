using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using static OzonActors.Gateway.Tests.Support.StarProductsWorld;

namespace OzonActors.Gateway.Tests.StarProducts;

/// <summary>Joining and leaving: a moderated product to join, a reason to leave, and the connection history.</summary>
public sealed class StarProductsMembershipTests
{
    [Fact]
    public async Task Joining_needs_a_moderated_product_and_the_count_follows_moderation_both_ways()
    {
        await using var world = Start(Msk(2026, 11, 2, 10, 0));
        var seller = await world.NewSellerAsync(withModeratedProduct: false);
        var other = await world.NewSellerAsync(withModeratedProduct: false);

        Assert.Equal("https://ozon-actors/errors/no-moderated-product", (await seller.ConnectAsync(HttpStatusCode.Conflict)).ProblemType());
        await world.RecordProductAsync(seller.Id, "SP-1", moderated: false);
        Assert.Equal(0, Moderated(await seller.StatusAsync()));
        Assert.Equal("https://ozon-actors/errors/no-moderated-product", (await seller.ConnectAsync(HttpStatusCode.Conflict)).ProblemType());

        await world.RecordProductAsync(seller.Id, "SP-1", moderated: true);
        await world.RecordProductAsync(seller.Id, "SP-1", moderated: true);
        Assert.Equal(1, Moderated(await seller.StatusAsync()));
        await world.RecordProductAsync(seller.Id, "SP-2", moderated: true);
        Assert.Equal(2, Moderated(await seller.StatusAsync()));

        // A product never changes seller, and another seller's count is its own.
        var stolen = await world.RecordProductAsync(other.Id, "SP-1", moderated: true, HttpStatusCode.Conflict);
        Assert.Equal("https://ozon-actors/errors/product-seller-conflict", stolen.ProblemType());
        Assert.Equal(0, Moderated(await other.StatusAsync()));

        // Moderation withdrawn from both: back to 0, and joining is refused again.
        await world.RecordProductAsync(seller.Id, "SP-2", moderated: false);
        Assert.Equal(1, Moderated(await seller.StatusAsync()));
        await world.RecordProductAsync(seller.Id, "SP-1", moderated: false);
        await world.RecordProductAsync(seller.Id, "SP-1", moderated: false);
        Assert.Equal(0, Moderated(await seller.StatusAsync()));
        var refused = await seller.ConnectAsync(HttpStatusCode.Conflict);
        Assert.Equal("https://ozon-actors/errors/no-moderated-product", refused.ProblemType());
        Assert.False((await seller.StatusAsync()).Connected());
        Assert.Equal("https://ozon-actors/errors/no-moderated-product", (await world.AutoConnectAsync(seller.Id, HttpStatusCode.Conflict)).ProblemType());

        await world.RecordProductAsync(seller.Id, "SP-1", moderated: true);
        Assert.True((await seller.ConnectAsync()).Connected());
        Assert.Equal("https://ozon-actors/errors/already-connected", (await seller.ConnectAsync(HttpStatusCode.Conflict)).ProblemType());
    }

    [Fact]
    public async Task Disconnecting_needs_a_reason()
    {
        await using var world = Start(Msk(2026, 11, 2, 10, 0));
        var seller = await world.NewSellerAsync();
        await seller.ConnectAsync();

        foreach (var body in new object?[] { new { }, new { reason = "" }, new { reason = "   " }, new { reason = new string('x', 501) }, null })
        {
            var problem = await seller.PostAsync("/disconnect", body, HttpStatusCode.BadRequest);
            Assert.StartsWith("https://ozon-actors/errors/", problem.ProblemType());
        }

        Assert.True((await seller.StatusAsync()).Connected());
        Assert.Single(await seller.HistoryAsync());
        Assert.False((await seller.DisconnectAsync("  Too expensive  ")).Connected());
        Assert.Equal("https://ozon-actors/errors/not-connected", (await seller.DisconnectAsync("Again", HttpStatusCode.Conflict)).ProblemType());
        await seller.ConnectAsync();
        Assert.Equal("Too expensive", (await seller.HistoryAsync())[1]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task History_names_who_changed_what_is_viewable_only_while_connected_and_keeps_twelve_months()
    {
        await using var world = Start(Msk(2026, 1, 10, 10, 0));
        var director = await world.NewSellerAsync();
        var employee = await world.NewEmployeeAsync(director);

        await director.ConnectAsync();
        await world.MoveToAsync(Msk(2026, 1, 20, 10, 0));
        await employee.DisconnectAsync("Too expensive");

        var hidden = await employee.GetAsync("/history", HttpStatusCode.Forbidden);
        Assert.Equal("https://ozon-actors/errors/history-requires-connection", hidden.ProblemType());
        Assert.Contains("connected", hidden["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // The marketplace connects the seller itself: 10–20 January used 11 days, 1 March and 17 more are free.
        await world.MoveToAsync(Msk(2026, 3, 1, 10, 0));
        Assert.Equal((18, "2026-03-19"), (await world.AutoConnectAsync(director.Id)).Trial());

        var history = await employee.HistoryAsync();
        Assert.Equal(
            [
                (Msk(2026, 3, 1, 10, 0), "Connect", null, "system", "System", "2026-03-19", 18),
                (Msk(2026, 1, 20, 10, 0), "Disconnect", "Too expensive", employee.Email, "Employee", null, 19),
                (Msk(2026, 1, 10, 10, 0), "Connect", null, director.Email, "Director", "2026-02-08", 29),
            ],
            history.Select(Entry));

        // An entry goes at the instant it is twelve months old, by the reminder set for it.
        await world.MoveToAsync(Msk(2027, 1, 10, 9, 59));
        Assert.Equal(3, (await director.HistoryAsync()).Count);
        await world.MoveToAsync(Msk(2027, 1, 10, 10, 0));
        Assert.Equal(["Connect", "Disconnect"], (await director.HistoryAsync()).Select(e => e!["action"]!.GetValue<string>()));
        await world.MoveToAsync(Msk(2027, 1, 20, 10, 0, 1));
        var last = Assert.Single(await director.HistoryAsync());
        Assert.Equal((Msk(2026, 3, 1, 10, 0), "system"), (last!["at"]!.GetValue<DateTimeOffset>(), last["email"]!.GetValue<string>()));
    }

    private static int Moderated(JsonNode status) => status["moderatedProducts"]!.GetValue<int>();

    private static (DateTimeOffset, string, string?, string, string, string?, int) Entry(JsonNode? entry) => (
        entry!["at"]!.GetValue<DateTimeOffset>(), entry["action"]!.GetValue<string>(), entry["reason"]?.GetValue<string>(),
        entry["email"]!.GetValue<string>(), entry["role"]!.GetValue<string>(), entry.EndsOn(), entry.DaysLeft());
}
