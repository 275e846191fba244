using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests.Live;

/// <summary>
/// Return requests live, end to end: real gateway processes on PostgreSQL and the real <c>@microsoft/signalr</c>
/// client in Node. A request's status changes reach its customer and its seller, each once and in order, and nobody else.
/// </summary>
public sealed class ReturnsLiveTests(LiveGateways gateways) : IClassFixture<LiveGateways>
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The main request's status changes: status, the status it left, and who changed it.</summary>
    private static readonly (string Status, string? From, string By)[] ExpectedChanges =
    [
        ("New", null, "Customer"),
        ("PartialCompensationOffered", "New", "Seller"),
        ("AwaitingClarification", "PartialCompensationOffered", "Customer"),
        ("Approved", "AwaitingClarification", "Seller"),
        ("ReturnOnTheWay", "Approved", "Customer"),
        ("ReceivedBySeller", "ReturnOnTheWay", "Seller"),
        ("Refund", "ReceivedBySeller", "Seller"),
    ];

    [Fact]
    public async Task The_customer_and_the_seller_receive_every_status_change_of_their_request_in_order_and_nobody_else_does()
    {
        // Requests are driven through the first gateway (a request's grain lives in one process); clients listen on both.
        var api = gateways.Api(gateways.First);
        var customer = await api.LoginAsync(ApiClient.NewPhone());
        var seller = await api.NewSellerAsync();
        var otherCustomer = await api.LoginAsync(ApiClient.NewPhone());
        var otherSeller = await api.NewSellerAsync();
        var orderId = await api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 5000m);
        var otherOrderId = await api.RecordOrderAsync(otherCustomer.OzonId, otherSeller.CompanyId, price: 5000m);

        await using var customerClient = await NodeClient.StartAsync(gateways.First.BaseAddress, customer.AccessToken, "--timeout", "120000");
        await using var sellerClient = await NodeClient.StartAsync(gateways.Second.BaseAddress, seller.Tokens.AccessToken, "--timeout", "120000");
        await using var otherCustomerClient = await NodeClient.StartAsync(gateways.Second.BaseAddress, otherCustomer.AccessToken, "--timeout", "120000");
        await using var otherSellerClient = await NodeClient.StartAsync(gateways.First.BaseAddress, otherSeller.Tokens.AccessToken, "--timeout", "120000");
        await Task.WhenAll(customerClient.ReadyAsync(), sellerClient.ReadyAsync(), otherCustomerClient.ReadyAsync(), otherSellerClient.ReadyAsync());

        // create → offer → refuse → (a chat message: an update, not a status change) → approve → ship → receive …
        var request = await api.CreateReturnAsync(customer, orderId);
        var id = request["id"]!.GetValue<Guid>();
        Assert.Equal("New", request.Status());
        Assert.Equal("PartialCompensationOffered",
            (await api.ActAsync(seller.Tokens.AccessToken, request, "offer-compensation", HttpStatusCode.OK, new { amount = 1000m })).Status());
        Assert.Equal("AwaitingClarification",
            (await api.ActAsync(customer.AccessToken, request, "refuse-compensation", HttpStatusCode.OK)).Status());
        await api.ActAsync(seller.Tokens.AccessToken, request, "messages", HttpStatusCode.OK, new { text = "Please keep the box." });
        Assert.Equal("Approved", (await api.ActAsync(seller.Tokens.AccessToken, request, "approve", HttpStatusCode.OK)).Status());
        Assert.Equal("ReturnOnTheWay",
            (await api.ActAsync(customer.AccessToken, request, "ship", HttpStatusCode.OK, new { trackingNumber = "RR123456785RU" })).Status());
        Assert.Equal("ReceivedBySeller", (await api.ActAsync(seller.Tokens.AccessToken, request, "received", HttpStatusCode.OK)).Status());

        // … meanwhile the others' own request is created, before the main request's last change, so a stray event of
        // theirs would reach our clients before that last change does …
        var otherRequest = await api.CreateReturnAsync(otherCustomer, otherOrderId);
        var otherId = otherRequest["id"]!.GetValue<Guid>();

        // … → refund, the main request's last change; then the others' request changes once more, after every main one.
        Assert.Equal("Refund",
            (await api.ActAsync(seller.Tokens.AccessToken, request, "refund", HttpStatusCode.OK, new { deliveryCost = 250m })).Status());
        Assert.Equal("Approved", (await api.ActAsync(otherSeller.Tokens.AccessToken, otherRequest, "approve", HttpStatusCode.OK)).Status());

        foreach (var (client, who) in new[] { (customerClient, "customer"), (sellerClient, "seller") })
        {
            await client.WaitForAsync(l => NodeClient.IsReturnStatusChange(l, id, "Refund"), EventTimeout, $"the {who}'s Refund event");
            AssertReceivedExactly(client, id, ExpectedChanges, customer.OzonId, seller.CompanyId);

            // The chat message arrived too, between the refusal and the approval, as an update and a message.
            var types = ReturnEvents(client).Select(e => e["type"]!.GetValue<string>()).ToList();
            Assert.Equal(
                ["ReturnStatusChanged", "ReturnStatusChanged", "ReturnStatusChanged", "ReturnMessagePosted", "ReturnUpdated",
                    "ReturnStatusChanged", "ReturnStatusChanged", "ReturnStatusChanged", "ReturnStatusChanged"],
                types);
        }

        foreach (var (client, who) in new[] { (otherCustomerClient, "other customer"), (otherSellerClient, "other seller") })
        {
            await client.WaitForAsync(l => NodeClient.IsReturnStatusChange(l, otherId, "Approved"), EventTimeout, $"the {who}'s own Approved event");
            AssertReceivedExactly(client, otherId, [("New", null, "Customer"), ("Approved", "New", "Seller")],
                otherCustomer.OzonId, otherSeller.CompanyId);
            var leaked = client.Lines.Where(l => NodeClient.Kind(l) == "event" && NodeClient.Event(l).ToJsonString().Contains(id.ToString(), StringComparison.Ordinal));
            Assert.Empty(leaked);
        }

        // Events after the last one awaited would be strays: give them a moment, then check nothing more came.
        await Task.Delay(300);
        AssertReceivedExactly(customerClient, id, ExpectedChanges, customer.OzonId, seller.CompanyId);
        AssertReceivedExactly(sellerClient, id, ExpectedChanges, customer.OzonId, seller.CompanyId);
        Assert.DoesNotContain(customerClient.Lines, l => l.ToJsonString().Contains(otherId.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(sellerClient.Lines, l => l.ToJsonString().Contains(otherId.ToString(), StringComparison.Ordinal));
    }

    /// <summary>
    /// The client applied exactly these status changes of request <paramref name="id"/>, in this order, each once, and
    /// every return event it received is about that request.
    /// </summary>
    private static void AssertReceivedExactly(
        NodeClient client, Guid id, (string Status, string? From, string By)[] expected, Guid customerId, Guid sellerId)
    {
        var events = ReturnEvents(client);
        Assert.All(events, e => Assert.Equal($"return:{id}", e["stream"]!.GetValue<string>()));

        var changes = events.Where(e => e["type"]!.GetValue<string>() == "ReturnStatusChanged").ToList();
        var received = changes.Select(e =>
        {
            var data = e["data"]!;
            return (data["request"]!["status"]!.GetValue<string>(), data["from"]?.GetValue<string>(), data["by"]!.GetValue<string>());
        }).ToArray();
        Assert.True(expected.SequenceEqual(received), $"expected {Describe(expected)}, received {Describe(received)}\n{client.Describe()}");

        foreach (var change in changes)
        {
            var summary = change["data"]!["request"]!;
            Assert.Equal(id, summary["id"]!.GetValue<Guid>());
            Assert.Equal(customerId, summary["customerId"]!.GetValue<Guid>());
            Assert.Equal(sellerId, summary["sellerId"]!.GetValue<Guid>());
            Assert.IsType<JsonObject>(summary["allowedActions"]);
        }

        // Each event once, in position order.
        var positions = events.Select(e => e["position"]!.GetValue<string>()).ToList();
        Assert.Equal(positions.Count, positions.Distinct().Count());
        Assert.True(positions.Zip(positions.Skip(1)).All(p => string.CompareOrdinal(p.First, p.Second) < 0), "positions increase");
    }

    /// <summary>The return events the client applied, in order.</summary>
    private static List<JsonObject> ReturnEvents(NodeClient client) =>
        client.Applied.Select(NodeClient.Event).Where(e => e["stream"]!.GetValue<string>().StartsWith("return:", StringComparison.Ordinal)).ToList();

    private static string Describe(IEnumerable<(string Status, string? From, string By)> changes) =>
        string.Join(" → ", changes.Select(c => $"{c.Status} (from {c.From ?? "-"}, by {c.By})"));
}
