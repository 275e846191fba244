using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests.Returns;

/// <summary>
/// The HTTP wiring of the returns endpoints no other test checks the effect of: each call is followed by what it did
/// (the status it led to, the fields it set), so an endpoint bound to the wrong command or grain fails here.
/// </summary>
public sealed class ReturnsEndpointsTests : IDisposable
{
    private readonly GatewayFactory _factory = new();
    private readonly ApiClient _api;

    public ReturnsEndpointsTests() => _api = _factory.CreateApi();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Accepting_the_marketplace_offer_approves_the_partial_compensation_and_refunds_the_offer()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var created = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 1800m));
        Assert.Equal("PartialCompensationOffered", created.Status());

        var accepted = await _api.ActAsync(customer.AccessToken, created, "accept-compensation", HttpStatusCode.OK);

        Assert.Equal("PartialCompensationApproved", accepted.Status());
        Assert.Equal("Accepted", accepted["compensationOffers"]![0]!["outcome"]!.GetValue<string>());
        var refund = accepted["refund"]!;
        Assert.Equal((900m, 0m, 900m, "PartialCompensation"), (refund["itemsAmount"]!.GetValue<decimal>(),
            refund["deliveryCost"]!.GetValue<decimal>(), refund["total"]!.GetValue<decimal>(), refund["kind"]!.GetValue<string>()));
        var last = accepted["history"]!.AsArray()[^1]!;
        Assert.Equal(("PartialCompensationApproved", "Customer", customer.OzonId, "AcceptCompensation"),
            (last["status"]!.GetValue<string>(), last["by"]!.GetValue<string>(), last["byId"]!.GetValue<Guid>(), last["action"]!.GetValue<string>()));

        var stored = await _api.SendAsync(HttpMethod.Get, $"/api/returns/{created["id"]}", seller.Tokens.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal("PartialCompensationApproved", stored.Status());
        Assert.Equal(900m, stored["refund"]!["total"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Rejecting_the_refund_after_receipt_records_the_reason_and_refunds_nothing()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var created = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 7000m));
        await _api.ActAsync(seller.Tokens.AccessToken, created, "approve", HttpStatusCode.OK);
        await _api.ActAsync(customer.AccessToken, created, "ship", HttpStatusCode.OK, new { trackingNumber = "RR123456789RU" });
        Assert.Equal("ReceivedBySeller", (await _api.ActAsync(seller.Tokens.AccessToken, created, "received", HttpStatusCode.OK)).Status());
        await _api.ActAsync(seller.Tokens.AccessToken, created, "reject-refund", HttpStatusCode.BadRequest, new { reason = " " });

        var rejected = await _api.ActAsync(seller.Tokens.AccessToken, created, "reject-refund", HttpStatusCode.OK,
            new { reason = "  The seal is broken  " });

        Assert.Equal("RejectedAfterReceipt", rejected.Status());
        Assert.Null(rejected["refund"]);
        Assert.Equal("The seal is broken", rejected["rejection"]!["reason"]!.GetValue<string>());
        Assert.Equal("Customer", rejected["nextActor"]!.GetValue<string>());
        var last = rejected["history"]!.AsArray()[^1]!;
        Assert.Equal(("RejectedAfterReceipt", "Seller", seller.AccountId, "RejectRefund", "The seal is broken"),
            (last["status"]!.GetValue<string>(), last["by"]!.GetValue<string>(), last["byAccountId"]!.GetValue<Guid>(),
             last["action"]!.GetValue<string>(), last["note"]!.GetValue<string>()));

        var stored = await _api.SendAsync(HttpMethod.Get, $"/api/returns/{created["id"]}", customer.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal("RejectedAfterReceipt", stored.Status());
        Assert.Null(stored["refund"]);
    }

    [Fact]
    public async Task The_internal_order_endpoint_answers_the_recorded_order_with_what_is_left_to_return()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var today = _factory.Time.GetUtcNow();
        var deliveredAt = new DateTimeOffset(today.Year, today.Month, today.Day, 9, 30, 0, TimeSpan.Zero).AddDays(-2);
        var orderId = await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 5000.50m, quantity: 3, deliveredAt: deliveredAt);
        var path = $"/api/internal/orders/{orderId}";

        var order = await GetInternalAsync(path, HttpStatusCode.OK);
        Assert.Equal((orderId, customer.OzonId, seller.CompanyId, deliveredAt, false),
            (order["orderId"]!.GetValue<string>(), order["customerId"]!.GetValue<Guid>(), order["sellerId"]!.GetValue<Guid>(),
             order["deliveredAt"]!.GetValue<DateTimeOffset>(), order["crossBorder"]!.GetValue<bool>()));
        var line = Assert.Single(order["lines"]!.AsArray())!;
        Assert.Equal(("L1", "P1", "Kettle, \"steel\"", 5000.50m, 3, 3),
            (line["lineId"]!.GetValue<string>(), line["productId"]!.GetValue<string>(), line["name"]!.GetValue<string>(),
             line["price"]!.GetValue<decimal>(), line["quantity"]!.GetValue<int>(), line["returnableQuantity"]!.GetValue<int>()));

        // A request for two of the three units leaves one to return.
        await _api.CreateReturnAsync(customer, orderId, quantity: 2);
        Assert.Equal(1, (await GetInternalAsync(path, HttpStatusCode.OK))["lines"]![0]!["returnableQuantity"]!.GetValue<int>());

        Assert.Equal("https://ozon-actors/errors/order-not-found",
            (await GetInternalAsync($"/api/internal/orders/ord-{Guid.NewGuid():N}", HttpStatusCode.NotFound)).ProblemType());
        await GetInternalAsync(path, HttpStatusCode.Unauthorized, key: null);
        await GetInternalAsync(path, HttpStatusCode.Unauthorized, key: "guess");
    }

    [Fact]
    public async Task Moderators_read_a_sellers_pre_moderation_as_it_was_last_set()
    {
        var (customer, seller, other) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync(), await _api.NewSellerAsync());
        var moderator = await _api.LoginAsync(GatewayFactory.ModeratorPhone);
        var path = $"/api/moderation/sellers/{seller.CompanyId}/pre-moderation";

        var before = await _api.SendAsync(HttpMethod.Get, path, moderator.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal((seller.CompanyId, false), (before["sellerId"]!.GetValue<Guid>(), before["preModerated"]!.GetValue<bool>()));
        Assert.Null(before["changedBy"]);

        await _api.SendAsync(HttpMethod.Put, path, moderator.AccessToken, new { enabled = true }, HttpStatusCode.OK);
        var after = await _api.SendAsync(HttpMethod.Get, path, moderator.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal((seller.CompanyId, true, moderator.OzonId, _factory.Time.GetUtcNow()),
            (after["sellerId"]!.GetValue<Guid>(), after["preModerated"]!.GetValue<bool>(), after["changedBy"]!.GetValue<Guid>(),
             after["changedAt"]!.GetValue<DateTimeOffset>()));

        // Another seller is untouched, and the setting is for moderators only.
        var untouched = await _api.SendAsync(HttpMethod.Get, $"/api/moderation/sellers/{other.CompanyId}/pre-moderation",
            moderator.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal((other.CompanyId, false), (untouched["sellerId"]!.GetValue<Guid>(), untouched["preModerated"]!.GetValue<bool>()));
        await _api.SendAsync(HttpMethod.Get, path, customer.AccessToken, null, HttpStatusCode.Forbidden);
        await _api.SendAsync(HttpMethod.Get, path, seller.Tokens.AccessToken, null, HttpStatusCode.Forbidden);
    }

    private async Task<JsonNode> GetInternalAsync(string path, HttpStatusCode expected, string? key = ReturnsApi.InternalKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        using var response = await _api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }
}
