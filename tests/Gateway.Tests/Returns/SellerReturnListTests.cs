using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests.Returns;

/// <summary>The seller's list of return requests filtered to those waiting for the seller (<c>needsAction=true</c>).</summary>
public sealed class SellerReturnListTests : IDisposable
{
    private readonly GatewayFactory _factory = new();
    private readonly ApiClient _api;

    public SellerReturnListTests() => _api = _factory.CreateApi();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Needing_my_action_lists_only_requests_the_seller_acts_on_next_with_exact_pages_and_totals()
    {
        var (customer, seller) = (await _api.LoginAsync(ApiClient.NewPhone()), await _api.NewSellerAsync());
        var requests = new List<JsonNode>();
        for (var i = 0; i < 5; i++)
        {
            requests.Add(await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 5000m)));
            _factory.Time.Advance(TimeSpan.FromMinutes(2));
        }

        // The marketplace processes a cheap line: its offer waits for the customer from the start.
        var cheap = await _api.CreateReturnAsync(customer, await _api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 1000m));
        Assert.Equal("Customer", cheap["nextActor"]!.GetValue<string>());

        // Approved requests wait for the customer; one of them, shipped, waits for the seller again.
        var token = seller.Tokens.AccessToken;
        foreach (var approved in (int[])[1, 3])
        {
            await _api.ActAsync(token, requests[approved], "approve", HttpStatusCode.OK);
        }

        var shipped = await _api.ActAsync(customer.AccessToken, requests[3], "ship", HttpStatusCode.OK, new { trackingNumber = "RR123456789RU" });
        Assert.Equal(("ReturnOnTheWay", "Seller"), (shipped.Status(), shipped["nextActor"]!.GetValue<string>()));

        var first = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?needsAction=true&pageSize=3", token, null, HttpStatusCode.OK);
        Assert.Equal(4, first["total"]!.GetValue<long>());
        Assert.Equal([Id(requests[4]), Id(requests[3]), Id(requests[2])], Ids(first));
        var second = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?needsAction=true&pageSize=3&page=2", token, null, HttpStatusCode.OK);
        Assert.Equal([Id(requests[0])], Ids(second));
        Assert.All(first["items"]!.AsArray().Concat(second["items"]!.AsArray()), r => Assert.Equal("Seller", r!["nextActor"]!.GetValue<string>()));

        // With the status filter, and off: every request again.
        var newOnes = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?needsAction=true&status=New", token, null, HttpStatusCode.OK);
        Assert.Equal([Id(requests[4]), Id(requests[2]), Id(requests[0])], Ids(newOnes));
        Assert.Equal(0, (await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?needsAction=true&status=Approved", token, null,
            HttpStatusCode.OK))["total"]!.GetValue<long>());
        Assert.Equal(6, (await _api.SendAsync(HttpMethod.Get, "/api/seller/returns?needsAction=false", token, null,
            HttpStatusCode.OK))["total"]!.GetValue<long>());

        // The report follows the same filter.
        using var csv = await _api.SendRawAsync(HttpMethod.Get, "/api/seller/returns/report.csv?needsAction=true", token, null);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n".ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([Id(requests[4]), Id(requests[3]), Id(requests[2]), Id(requests[0])], lines.Skip(1).Select(line => Guid.Parse(line[..36])));
    }

    [Theory]
    [InlineData("/api/seller/returns?needsAction=yes")]
    [InlineData("/api/seller/returns/report.csv?needsAction=1")]
    public async Task A_needs_action_filter_other_than_true_or_false_is_refused(string path)
    {
        var seller = await _api.NewSellerAsync();
        var problem = await _api.SendAsync(HttpMethod.Get, path, seller.Tokens.AccessToken, null, HttpStatusCode.BadRequest);
        Assert.Equal("https://ozon-actors/errors/invalid-query", problem.ProblemType());
    }

    private static Guid Id(JsonNode request) => request["id"]!.GetValue<Guid>();

    private static Guid[] Ids(JsonNode page) => [.. page["items"]!.AsArray().Select(r => Id(r!))];
}
