using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Returns;

/// <summary>Return requests through the public API, on the embedded default with a fake clock.</summary>
public sealed class ReturnsApiTests : IDisposable
{
    private readonly GatewayFactory _factory = new();
    private readonly ApiClient _api;

    public ReturnsApiTests() => _api = _factory.CreateApi();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_customer_creates_a_request_the_seller_sees_it_at_once_and_approving_shows_in_both_lists_at_once()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var orderId = await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 5000m);

        var created = await _api.CreateReturnAsync(customer, orderId);
        Assert.Equal("New", created.Status());
        Assert.Equal("Seller", created["processedBy"]!.GetValue<string>());
        Assert.Equal("Seller", created["nextActor"]!.GetValue<string>());
        Assert.Equal(created["createdAt"]!.GetValue<DateTimeOffset>().AddDays(1), created["dueAt"]!.GetValue<DateTimeOffset>());

        var sellerList = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns", seller.Tokens.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal(created["id"]!.GetValue<Guid>(), sellerList["items"]![0]!["id"]!.GetValue<Guid>());
        Assert.Equal("New", sellerList["items"]![0]!.Status());

        var approved = await _api.ActAsync(seller.Tokens.AccessToken, created, "approve", HttpStatusCode.OK);
        Assert.Equal("Approved", approved.Status());
        Assert.Equal("Customer", approved["nextActor"]!.GetValue<string>());

        var afterSeller = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns", seller.Tokens.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal("Approved", afterSeller["items"]![0]!.Status());
        var afterCustomer = await _api.SendAsync(HttpMethod.Get, "/api/customer/returns", customer.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal("Approved", afterCustomer["items"]![0]!.Status());
        var history = approved["history"]!.AsArray();
        Assert.Equal(["New", "Approved"], history.Select(h => h!["status"]!.GetValue<string>()));
        Assert.Equal("Seller", history[1]!["by"]!.GetValue<string>());
        Assert.Equal(seller.AccountId, history[1]!["byAccountId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Nobody_else_can_see_or_act_on_a_request()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var (otherCustomer, otherSeller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var created = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId));

        var path = $"/api/returns/{created["id"]}";
        Assert.Equal("https://ozon-actors/errors/return-not-found",
            (await _api.SendAsync(HttpMethod.Get, path, otherCustomer.AccessToken, null, HttpStatusCode.NotFound)).ProblemType());
        await _api.SendAsync(HttpMethod.Get, path, otherSeller.Tokens.AccessToken, null, HttpStatusCode.NotFound);
        await _api.ActAsync(otherCustomer.AccessToken, created, "cancel", HttpStatusCode.NotFound);
        await _api.ActAsync(otherSeller.Tokens.AccessToken, created, "approve", HttpStatusCode.NotFound);

        // The customer cannot take the seller's decision, and a customer's order cannot be returned by someone else.
        var forbidden = await _api.ActAsync(customer.AccessToken, created, "approve", HttpStatusCode.Forbidden);
        Assert.Equal("https://ozon-actors/errors/not-your-action", forbidden.ProblemType());
        var stolen = await _api.SendAsync(HttpMethod.Post, "/api/returns", otherCustomer.AccessToken,
            ReturnsApi.ReturnBody(created["orderId"]!.GetValue<string>()), HttpStatusCode.NotFound);
        Assert.Equal("https://ozon-actors/errors/order-not-found", stolen.ProblemType());

        var otherList = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns", otherSeller.Tokens.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal(0, otherList["total"]!.GetValue<long>());
        var mine = await _api.SendAsync(HttpMethod.Get, $"/api/returns/{created["id"]}", customer.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal("New", mine.Status());
    }

    [Fact]
    public async Task An_action_the_status_does_not_allow_is_a_409_naming_the_status_and_changes_nothing()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var created = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId));

        var conflict = await _api.ActAsync(customer.AccessToken, created, "ship", HttpStatusCode.Conflict, new { trackingNumber = "RR123" });
        Assert.Equal("https://ozon-actors/errors/invalid-transition", conflict.ProblemType());
        Assert.Contains("New", conflict["detail"]!.GetValue<string>());
        await _api.ActAsync(seller.Tokens.AccessToken, created, "refund", HttpStatusCode.Conflict);

        var unchanged = await _api.SendAsync(HttpMethod.Get, $"/api/returns/{created["id"]}", customer.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal("New", unchanged.Status());
        Assert.Single(unchanged["history"]!.AsArray());
    }

    [Fact]
    public async Task Bad_input_is_a_400_problem_and_creates_or_changes_nothing()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var orderId = await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 5000m, quantity: 2);

        object[] badBodies =
        [
            new { orderId, lineId = "L1", quantity = 1, reason = "broken", quality = "Improper", photos = Array.Empty<string>() },
            new { orderId, lineId = "L1", quantity = 0, reason = "broken", quality = "Improper", photos = new[] { "https://x.test/a.jpg" } },
            new { orderId, lineId = "L1", quantity = 1, reason = " ", quality = "Improper", photos = new[] { "https://x.test/a.jpg" } },
            new { orderId, lineId = "L1", quantity = 1, reason = "broken", quality = "Mediocre", photos = new[] { "https://x.test/a.jpg" } },
            new { orderId, lineId = "L1", quantity = 1, reason = "broken", quality = "Improper", photos = new[] { "javascript:alert(1)" } },
            new { orderId, lineId = "L1", quantity = 3, reason = "broken", quality = "Improper", photos = new[] { "https://x.test/a.jpg" } },
            "{\"orderId\": ",
        ];
        foreach (var body in badBodies)
        {
            var problem = await _api.SendAsync(HttpMethod.Post, "/api/returns", customer.AccessToken, body, HttpStatusCode.BadRequest);
            Assert.StartsWith("https://ozon-actors/errors/", problem.ProblemType());
        }

        var list = await _api.SendAsync(HttpMethod.Get, "/api/customer/returns", customer.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal(0, list["total"]!.GetValue<long>());

        var created = await _api.CreateReturnAsync(customer, orderId);
        await _api.ActAsync(seller.Tokens.AccessToken, created, "offer-compensation", HttpStatusCode.BadRequest, new { amount = 4999.01m });
        await _api.ActAsync(seller.Tokens.AccessToken, created, "offer-compensation", HttpStatusCode.BadRequest, new { amount = 0.5m });
        await _api.ActAsync(seller.Tokens.AccessToken, created, "offer-compensation", HttpStatusCode.BadRequest, new { amount = 10.001m });
        await _api.ActAsync(seller.Tokens.AccessToken, created, "reject", HttpStatusCode.BadRequest, new { reason = "" });
        await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?status=Lost", seller.Tokens.AccessToken, null, HttpStatusCode.BadRequest);
        await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?pageSize=0", seller.Tokens.AccessToken, null, HttpStatusCode.BadRequest);
        await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?from=yesterday", seller.Tokens.AccessToken, null, HttpStatusCode.BadRequest);

        var unchanged = await _api.SendAsync(HttpMethod.Get, $"/api/returns/{created["id"]}", seller.Tokens.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal("New", unchanged.Status());
        Assert.Empty(unchanged["compensationOffers"]!.AsArray());
    }

    [Fact]
    public async Task Refund_takes_a_delivery_cost_up_to_5000_rubles()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var created = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 7000m));
        await _api.ActAsync(seller.Tokens.AccessToken, created, "approve", HttpStatusCode.OK);
        await _api.ActAsync(customer.AccessToken, created, "ship", HttpStatusCode.OK, new { trackingNumber = "RR123456789RU" });
        await _api.ActAsync(seller.Tokens.AccessToken, created, "received", HttpStatusCode.OK);

        // An optional body is still checked when sent.
        await _api.ActAsync(seller.Tokens.AccessToken, created, "refund", HttpStatusCode.BadRequest, new { deliveryCost = -1m });
        await _api.ActAsync(customer.AccessToken, created, "dispute", HttpStatusCode.BadRequest, new { topic = new string('x', 501) });
        var tooMuch = await _api.ActAsync(seller.Tokens.AccessToken, created, "refund", HttpStatusCode.BadRequest, new { deliveryCost = 5000.01m });
        Assert.Equal("https://ozon-actors/errors/invalid-delivery-cost", tooMuch.ProblemType());
        var refunded = await _api.ActAsync(seller.Tokens.AccessToken, created, "refund", HttpStatusCode.OK, new { deliveryCost = 5000m });
        Assert.Equal("Refund", refunded.Status());
        Assert.Equal(12000m, refunded["refund"]!["total"]!.GetValue<decimal>());
        Assert.Null(refunded["nextActor"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_line_of_at_most_1800_rubles_gets_an_automatic_offer_and_refusing_it_approves_the_return()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var created = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 1800m));

        Assert.Equal("PartialCompensationOffered", created.Status());
        Assert.Equal("Marketplace", created["processedBy"]!.GetValue<string>());
        Assert.Equal(900m, created["compensationOffers"]![0]!["amount"]!.GetValue<decimal>());
        await _api.ActAsync(seller.Tokens.AccessToken, created, "approve", HttpStatusCode.Conflict);

        var refused = await _api.ActAsync(customer.AccessToken, created, "refuse-compensation", HttpStatusCode.OK);
        Assert.Equal("Approved", refused.Status());
        Assert.Equal("Refused", refused["compensationOffers"]![0]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_deadline_passing_moves_the_request_and_both_lists_without_anyone_asking()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var created = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId));

        _factory.Time.Advance(TimeSpan.FromDays(1));
        await _factory.Services.FireDueRemindersAsync();

        var sellerToken = (await _api.RefreshAsync(seller.Tokens)).AccessToken;
        var list = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns", sellerToken, null, HttpStatusCode.OK);
        Assert.Equal("Approved", list["items"]![0]!.Status());
        var request = await _api.SendAsync(HttpMethod.Get, $"/api/returns/{created["id"]}", sellerToken, null, HttpStatusCode.OK);
        var timeout = request["history"]!.AsArray()[^1]!;
        Assert.Equal("System", timeout["by"]!.GetValue<string>());
        Assert.Equal(created["dueAt"]!.GetValue<DateTimeOffset>(), timeout["at"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task The_seller_report_filters_by_status_and_dates_pages_newest_first_and_exports_csv()
    {
        var seller = await _api.NewSellerAsync();
        var customer = await _api.LoginAsync(ApiClient.NewPhone());
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var created = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId));
            ids.Add(created["id"]!.GetValue<Guid>());
            _factory.Time.Advance(TimeSpan.FromMinutes(2));
        }

        var first = await _api.SendAsync(HttpMethod.Get, $"/api/returns/{ids[0]}", seller.Tokens.AccessToken, null, HttpStatusCode.OK);
        await _api.ActAsync(seller.Tokens.AccessToken, first, "reject", HttpStatusCode.OK, new { reason = "Used, not \"new\", see photo" });
        var token = seller.Tokens.AccessToken;

        var page = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?page=1&pageSize=2", token, null, HttpStatusCode.OK);
        Assert.Equal(5, page["total"]!.GetValue<long>());
        Assert.Equal([ids[4], ids[3]], page["items"]!.AsArray().Select(r => r!["id"]!.GetValue<Guid>()));
        var last = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?page=3&pageSize=2", token, null, HttpStatusCode.OK);
        Assert.Equal([ids[0]], last["items"]!.AsArray().Select(r => r!["id"]!.GetValue<Guid>()));

        var onlyNew = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?status=New", token, null, HttpStatusCode.OK);
        Assert.Equal(4, onlyNew["total"]!.GetValue<long>());
        var rejected = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?status=RejectedBySeller", token, null, HttpStatusCode.OK);
        Assert.Equal(ids[0], rejected["items"]![0]!["id"]!.GetValue<Guid>());

        var secondAt = first["createdAt"]!.GetValue<DateTimeOffset>().AddMinutes(2);
        var window = await _api.SendAsync(HttpMethod.Get,
            $"/api/seller/returns?from={Uri.EscapeDataString(secondAt.ToString("O"))}&to={Uri.EscapeDataString(secondAt.AddMinutes(4).ToString("O"))}",
            token, null, HttpStatusCode.OK);
        Assert.Equal([ids[2], ids[1]], window["items"]!.AsArray().Select(r => r!["id"]!.GetValue<Guid>()));

        using var csv = await _api.SendRawAsync(HttpMethod.Get, "/api/seller/returns/report.csv?status=RejectedBySeller", token, null);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n".ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("id,createdAt,status", lines[0]);
        Assert.StartsWith($"{ids[0]},", lines[1]);
        Assert.Contains(",RejectedBySeller,", lines[1]);
        Assert.Contains("\"Kettle, \"\"steel\"\"\"", lines[1]);
    }

    [Fact]
    public async Task Orders_come_in_only_with_the_internal_key_and_a_replay_changes_nothing()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var body = ReturnsApi.OrderBody("ord-replay-1", customer.OzonId, seller.CompanyId, deliveredAt: DateTimeOffset.UtcNow.AddDays(-2));

        using (var noKey = await _api.PostOrderAsync(body, key: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        }

        using (var wrongKey = await _api.PostOrderAsync(body, key: "guess"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        }

        using (var bad = await _api.PostOrderAsync(new { orderId = "ord-bad", customerId = customer.OzonId, lines = Array.Empty<object>() }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        }

        using (var first = await _api.PostOrderAsync(body))
        {
            Assert.True(JsonNode.Parse(await first.Content.ReadAsStringAsync())!["recorded"]!.GetValue<bool>());
        }

        var created = await _api.CreateReturnAsync(customer, "ord-replay-1");
        using (var replay = await _api.PostOrderAsync(body))
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
            Assert.False(JsonNode.Parse(await replay.Content.ReadAsStringAsync())!["recorded"]!.GetValue<bool>());
        }

        // The replay did not give back the quantity the request holds.
        var again = await _api.SendAsync(HttpMethod.Post, "/api/returns", customer.AccessToken, ReturnsApi.ReturnBody("ord-replay-1"), HttpStatusCode.Conflict);
        Assert.Equal("https://ozon-actors/errors/quantity-unavailable", again.ProblemType());
        var changed = ReturnsApi.OrderBody("ord-replay-1", customer.OzonId, seller.CompanyId, price: 1m);
        using (var conflict = await _api.PostOrderAsync(changed))
        {
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        }

        var orders = await _api.SendAsync(HttpMethod.Get, "/api/customer/orders", customer.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal(0, orders["items"]![0]!["lines"]![0]!["returnableQuantity"]!.GetValue<int>());
        await _api.ActAsync(customer.AccessToken, created, "cancel", HttpStatusCode.OK);
        var freed = await _api.SendAsync(HttpMethod.Get, "/api/customer/orders", customer.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal(1, freed["items"]![0]!["lines"]![0]!["returnableQuantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task Moderators_pre_moderate_a_seller_and_decide_disputes_others_may_not()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var moderator = await _api.LoginAsync(GatewayFactory.ModeratorPhone);
        var path = $"/api/moderation/sellers/{seller.CompanyId}/pre-moderation";
        await _api.SendAsync(HttpMethod.Put, path, customer.AccessToken, new { enabled = true }, HttpStatusCode.Forbidden);
        await _api.SendAsync(HttpMethod.Put, path, moderator.AccessToken, new { enabled = true }, HttpStatusCode.OK);

        var premoderated = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId));
        Assert.Equal("Moderator", premoderated["processedBy"]!.GetValue<string>());
        await _api.ActAsync(seller.Tokens.AccessToken, premoderated, "approve", HttpStatusCode.Forbidden);
        var rejected = await _api.ActAsync(moderator.AccessToken, premoderated, "reject", HttpStatusCode.OK, new { reason = "Signs of use" });
        Assert.Equal("RejectedBySeller", rejected.Status());

        var disputed = await _api.ActAsync(customer.AccessToken, premoderated, "dispute", HttpStatusCode.OK, new { topic = "It was broken on arrival" });
        Assert.Equal("DisputeOpened", disputed.Status());
        Assert.Equal("Request", disputed["disputeStage"]!.GetValue<string>());
        await _api.ActAsync(seller.Tokens.AccessToken, premoderated, "dispute-decision", HttpStatusCode.Forbidden, new { inFavorOf = "Seller" });
        await _api.ActAsync(moderator.AccessToken, premoderated, "dispute-decision", HttpStatusCode.BadRequest, new { inFavorOf = "Nobody" });
        var decided = await _api.ActAsync(moderator.AccessToken, premoderated, "dispute-decision", HttpStatusCode.OK, new { inFavorOf = "Customer" });
        Assert.Equal("Approved", decided.Status());
        Assert.Equal("Moderator", decided["history"]!.AsArray()[^1]!["by"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_seller_answers_a_dispute_and_the_deadline_then_no_longer_decides_it_for_the_customer()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var request = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId));
        await _api.ActAsync(seller.Tokens.AccessToken, request, "reject", HttpStatusCode.OK, new { reason = "Signs of use" });
        var disputed = await _api.ActAsync(customer.AccessToken, request, "dispute", HttpStatusCode.OK, new { topic = "It was broken on arrival" });
        Assert.Equal("Seller", disputed["nextActor"]!.GetValue<string>());

        await _api.ActAsync(customer.AccessToken, request, "dispute-reply", HttpStatusCode.Forbidden, new { text = "Me too" });
        await _api.ActAsync(seller.Tokens.AccessToken, request, "dispute-reply", HttpStatusCode.BadRequest, new { text = "" });
        var answered = await _api.ActAsync(seller.Tokens.AccessToken, request, "dispute-reply", HttpStatusCode.OK,
            new { text = "The scratches are on the photos we took at packing." });
        Assert.Equal(("DisputeOpened", "Moderator"), (answered.Status(), answered["nextActor"]!.GetValue<string>()));
        Assert.Equal("The scratches are on the photos we took at packing.", answered["dispute"]!["sellerReply"]!.GetValue<string>());

        // Past the seller's three days and the moderators' three: still open, now overdue for the moderators.
        _factory.Time.Advance(TimeSpan.FromDays(7));
        var again = await _api.RefreshAsync(customer);
        var waiting = await _api.SendAsync(HttpMethod.Get, $"/api/returns/{request["id"]}", again.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal("DisputeOpened", waiting.Status());
        Assert.True(waiting["dispute"]!["overdueForModerators"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_chat_moves_a_new_request_to_clarification_with_three_days_from_creation()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var created = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId));
        _factory.Time.Advance(TimeSpan.FromHours(5));
        (customer, var sellerTokens) = (await _api.RefreshAsync(customer), await _api.RefreshAsync(seller.Tokens));

        var asked = await _api.ActAsync(sellerTokens.AccessToken, created, "messages", HttpStatusCode.OK, new { text = "Is the seal intact?" });
        Assert.Equal("AwaitingClarificationWithSeller", asked.Status());
        Assert.Equal(created["createdAt"]!.GetValue<DateTimeOffset>().AddDays(3), asked["dueAt"]!.GetValue<DateTimeOffset>());
        var answered = await _api.ActAsync(customer.AccessToken, created, "messages", HttpStatusCode.OK, new { text = "Yes." });
        Assert.Equal(["Seller", "Customer"], answered["messages"]!.AsArray().Select(m => m!["from"]!.GetValue<string>()));
        Assert.Equal("AwaitingClarificationWithSeller", answered.Status());
    }
}
