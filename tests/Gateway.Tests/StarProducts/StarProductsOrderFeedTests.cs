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

    [Fact]
    public async Task An_order_arriving_after_its_certificate_was_issued_leaves_that_certificate_unchanged_and_is_a_correction_the_seller_is_told_of()
    {
        await using var world = Start(Msk(2026, 10, 1, 9, 0));
        var seller = await world.NewSellerAsync();
        await seller.ConnectAsync();
        await world.MoveToAsync(Msk(2026, 11, 10, 12, 0));
        await world.OrderAsync(seller, Customer, Msk(2026, 11, 10, 11, 0), "A", new StarLine("P1", 1000m));
        await world.MoveToAsync(Msk(2026, 11, 16, 0, 30));
        var issued = await seller.CertificateAsync("2026-11-1");
        Assert.True(issued["issued"]!.GetValue<bool>());

        // Sold on 14 November, reported on the 17th: the certificate of 1–15 November was issued on the 16th.
        await world.MoveToAsync(Msk(2026, 11, 17, 10, 0));
        var late = await world.OrderAsync(seller, Customer, Msk(2026, 11, 14, 18, 0), "L1", new StarLine("P1", 200m, 2));
        Assert.Equal((true, true, 6.00m, 400m, "2026-11-2"), Answer(late));
        Assert.True(late["correction"]!.GetValue<bool>());
        Assert.Equal(issued.ToJsonString(), (await seller.CertificateAsync("2026-11-1")).ToJsonString());

        var current = await seller.CertificateAsync("2026-11-2");
        Assert.Equal((0m, 0, 6.00m, 400m), (current.Decimal("fees"), current["orders"]!.GetValue<int>(), current.Decimal("totalFees"), current.Decimal("totalCompensation")));
        var correction = Assert.Single(current["corrections"]!.AsArray())!;
        Assert.Equal(("L1", "2026-11-1", "2026-11-2", 6.00m, 2), (correction["orderId"]!.GetValue<string>(), correction["orderPeriod"]!.GetValue<string>(),
            correction["period"]!.GetValue<string>(), correction.Decimal("fee"), correction["units"]!.GetValue<int>()));
        var told = Assert.Single(await world.EventsOfAsync(seller.Id), e => e.Type == "StarProductsCertificateCorrected");
        Assert.Equal([$"seller:{seller.Id}"], told.Audiences);
        Assert.Equal(("L1", "2026-11-2"), (JsonNode.Parse(told.DataJson)!["orderId"]!.GetValue<string>(), JsonNode.Parse(told.DataJson)!["period"]!.GetValue<string>()));

        // A replay answers the same and moves nothing; the correction is issued with its certificate.
        Assert.Equal((false, true, 6.00m, 400m, "2026-11-2"), Answer(await world.OrderAsync(seller, Customer, Msk(2026, 11, 14, 18, 0), "L1", new StarLine("P1", 200m, 2))));
        await world.MoveToAsync(Msk(2026, 11, 20, 10, 0));
        await seller.DisconnectAsync("Season is over");
        await world.MoveToAsync(Msk(2026, 12, 1, 0, 30));
        var issuedWithCorrection = (await world.EventsOfAsync(seller.Id)).Where(e => e.Type == "StarProductsCertificateIssued")
            .Select(e => JsonNode.Parse(e.DataJson)!).Single(c => c["period"]!.GetValue<string>() == "2026-11-2");
        Assert.Equal(6.00m, issuedWithCorrection.Decimal("totalFees"));

        // After leaving: an order of the 19th reported on 3 December goes on December's first certificate, issued when it ends.
        await world.MoveToAsync(Msk(2026, 12, 3, 10, 0));
        var afterLeaving = await world.OrderAsync(seller, Customer, Msk(2026, 11, 19, 9, 0), "L2", new StarLine("P1", 100m));
        Assert.Equal((true, true, 1.50m, 100m, "2026-12-1"), Answer(afterLeaving));
        Assert.Equal(issuedWithCorrection.ToJsonString(), (await seller.CertificateAsync("2026-11-2")).ToJsonString());
        await world.MoveToAsync(Msk(2026, 12, 16, 0, 30));
        var december = await seller.CertificateAsync("2026-12-1");
        Assert.Equal((true, 1.50m, "L2"), (december["issued"]!.GetValue<bool>(), december.Decimal("totalFees"),
            december["corrections"]![0]!["orderId"]!.GetValue<string>()));
    }

    private static (bool Recorded, bool InProgram, decimal Fee, decimal Compensation, string? Period) Answer(JsonNode recorded) =>
        (recorded["recorded"]!.GetValue<bool>(), recorded["inProgram"]!.GetValue<bool>(), recorded.Fee(), recorded.Decimal("compensation"),
            recorded["period"]?.GetValue<string>());
}
