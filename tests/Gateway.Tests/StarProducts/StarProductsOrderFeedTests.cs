using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using static OzonActors.Gateway.Tests.Support.StarProductsWorld;

namespace OzonActors.Gateway.Tests.StarProducts;

/// <summary>The order feed is idempotent by order id like every feed: a replay answers what was recorded, other content is a 409.</summary>
public sealed class StarProductsOrderFeedTests
{
    private const string Orders = "/api/internal/star-products/orders";

    private static readonly Guid Customer = Guid.Parse("0c000000-0000-0000-0000-000000000002");

    [Fact]
    public async Task A_conflicting_duplicate_order_id_is_a_409_idempotency_conflict_and_changes_nothing()
    {
        await using var world = Start(Msk(2026, 10, 1, 9, 0));
        var seller = await world.NewSellerAsync();
        await seller.ConnectAsync();
        await world.MoveToAsync(Msk(2026, 11, 3, 12, 0));
        var first = await world.OrderAsync(seller, Customer, Msk(2026, 11, 3, 11, 0), "O1", new StarLine("P1", 100m, 2));
        Assert.Equal((true, 3.00m), (first["recorded"]!.GetValue<bool>(), first.Fee()));
        var certificate = (await seller.CertificateAsync("2026-11-1")).ToJsonString();
        var events = (await world.EventsOfAsync(seller.Id)).Count;

        object[] conflicting =
        [
            OrderBody(seller.Id, Customer, Msk(2026, 11, 3, 11, 0), "O1", new StarLine("P1", 100m, 3)),
            OrderBody(seller.Id, Customer, Msk(2026, 11, 3, 11, 0), "O1", new StarLine("P1", 100m, 2), new StarLine("P2", 5m)),
            OrderBody(seller.Id, Customer, Msk(2026, 11, 3, 11, 0), "O1", new StarLine("P1", 99.99m, 2)),
            OrderBody(seller.Id, Customer, Msk(2026, 11, 3, 11, 1), "O1", new StarLine("P1", 100m, 2)),
            OrderBody(seller.Id, Guid.NewGuid(), Msk(2026, 11, 3, 11, 0), "O1", new StarLine("P1", 100m, 2)),
        ];
        foreach (var body in conflicting)
        {
            var problem = await world.PostInternalAsync(Orders, body, HttpStatusCode.Conflict);
            Assert.Equal("https://ozon-actors/errors/idempotency-conflict", problem.ProblemType());
            Assert.Contains("O1", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(certificate, (await seller.CertificateAsync("2026-11-1")).ToJsonString());
        Assert.Equal(events, (await world.EventsOfAsync(seller.Id)).Count);
    }

    [Fact]
    public async Task A_replayed_order_answers_the_program_fee_and_period_it_was_recorded_with()
    {
        await using var world = Start(Msk(2026, 10, 1, 9, 0));
        var seller = await world.NewSellerAsync();
        await seller.ConnectAsync();
        await world.MoveToAsync(Msk(2026, 11, 3, 12, 0));
        var first = await world.OrderAsync(seller, Customer, Msk(2026, 11, 3, 11, 0), "O1", new StarLine("P1", 100m, 2), new StarLine("P2", 10.30m));
        Assert.Equal((true, true, 3.15m, 210.30m, "2026-11-1"), Answer(first));

        // Replayed later, after the seller left: the answer is the one recorded, and nothing moves.
        await world.MoveToAsync(Msk(2026, 11, 20, 12, 0));
        await seller.DisconnectAsync("Season is over");
        var certificate = (await seller.CertificateAsync("2026-11-1")).ToJsonString();
        var replay = await world.OrderAsync(seller, Customer, Msk(2026, 11, 3, 11, 0), "O1", new StarLine("P1", 100m, 2), new StarLine("P2", 10.30m));
        Assert.Equal((false, true, 3.15m, 210.30m, "2026-11-1"), Answer(replay));

        // The same content written otherwise (lines in another order, 100.00 for 100, another offset) is the same order.
        var rewritten = await world.PostInternalAsync(Orders, OrderBody(seller.Id, Customer, new DateTimeOffset(2026, 11, 3, 8, 0, 0, TimeSpan.Zero), "O1",
            new StarLine("P2", 10.30m), new StarLine("P1", 100.00m, 2)), HttpStatusCode.Accepted);
        Assert.Equal((false, true, 3.15m, 210.30m, "2026-11-1"), Answer(rewritten));
        Assert.Equal(certificate, (await seller.CertificateAsync("2026-11-1")).ToJsonString());
    }

    private static (bool Recorded, bool InProgram, decimal Fee, decimal Compensation, string? Period) Answer(JsonNode recorded) =>
        (recorded["recorded"]!.GetValue<bool>(), recorded["inProgram"]!.GetValue<bool>(), recorded.Fee(), recorded.Decimal("compensation"),
            recorded["period"]?.GetValue<string>());
}
