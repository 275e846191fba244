using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Edge;

/// <summary>
/// Regressions of what a careless client found: every refusal is a ProblemDetails that names the field and what it takes,
/// and an access token ends with its session or its account, not 15 minutes later.
/// </summary>
public sealed class ClearRefusalsTests : IDisposable
{
    private readonly GatewayFactory _factory = new();
    private readonly ApiClient _api;

    public ClearRefusalsTests() => _api = _factory.CreateApi();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_policys_401_and_403_say_what_to_do()
    {
        var unauthorized = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns", null, null, HttpStatusCode.Unauthorized);
        Assert.Contains("access token", unauthorized["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var customer = await _api.LoginAsync(ApiClient.NewPhone());
        var forbidden = await _api.SendAsync(HttpMethod.Get, "/api/seller/returns", customer.AccessToken, null, HttpStatusCode.Forbidden);
        Assert.False(string.IsNullOrWhiteSpace(forbidden["detail"]?.GetValue<string>()));
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00", "offset")]
    [InlineData("0001-01-01T00:00:00Z", "2000")]
    [InlineData("yesterday", "offset")]
    public async Task An_instant_without_an_offset_or_before_2000_is_a_400_naming_the_field(string at, string explained)
    {
        var customer = await _api.LoginAsync(ApiClient.NewPhone());
        var problem = await SendInternalAsync("/api/internal/referral/earnings",
            $$"""{"earningId":"e-{{Guid.NewGuid():N}}","managerId":"{{customer.OzonId}}","points":100,"at":"{{at}}"}""");
        var detail = problem["detail"]!.GetValue<string>();
        Assert.StartsWith("'at'", detail, StringComparison.Ordinal);
        Assert.Contains(explained, detail, StringComparison.Ordinal);
        var ledger = await _api.SendAsync(HttpMethod.Get, "/api/referral/me/ledger", customer.AccessToken, null, HttpStatusCode.OK);
        Assert.Empty(ledger is JsonArray entries ? entries : ledger["entries"]!.AsArray());
    }

    [Fact]
    public async Task A_number_sent_as_a_string_is_a_400_naming_the_field()
    {
        var customer = await _api.LoginAsync(ApiClient.NewPhone());
        using var response = await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/referral/me/withdraw")
        {
            Content = new StringContent("""{"points":"5"}""", System.Text.Encoding.UTF8, "application/json"),
            Headers = { Authorization = new("Bearer", customer.AccessToken) },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("'points' must be a number.", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_enum_value_names_the_field_and_the_values_it_takes()
    {
        using var response = await _api.Http.PostAsync(new Uri("/api/auth/code", UriKind.Relative),
            new StringContent($$"""{"phone":"{{ApiClient.NewPhone()}}","channel":"Pigeon"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("https://ozon-actors/errors/invalid-request", problem["type"]!.GetValue<string>());
        Assert.Equal("'channel' must be one of: Sms, Call.", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_over_long_address_is_a_414_problem_with_a_body()
    {
        using var response = await _api.Http.GetAsync(new Uri($"/api/seller/returns?status={new string('a', 9_000)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://ozon-actors/errors/uri-too-long", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_access_token_stops_working_at_logout_and_when_its_seller_account_is_deleted()
    {
        var customer = await _api.LoginAsync(ApiClient.NewPhone());
        await _api.SendAsync(HttpMethod.Get, "/api/me", customer.AccessToken, null, HttpStatusCode.OK);
        await _api.SendAsync(HttpMethod.Post, "/api/auth/logout", customer.AccessToken, new { }, HttpStatusCode.NoContent);
        await _api.SendAsync(HttpMethod.Get, "/api/me", customer.AccessToken, null, HttpStatusCode.Unauthorized);

        // An administrator deleted by the director loses the returns report at once, with a token still within its 15 minutes.
        var director = await _api.NewSellerAsync();
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        var invitation = await _api.SendAsync(HttpMethod.Post, $"/api/companies/{director.CompanyId}/invitations", director.Tokens.AccessToken,
            new { email, role = "Administrator" }, HttpStatusCode.Created);
        var admin = await _api.LoginAsync(ApiClient.NewPhone());
        var account = await _api.SendAsync(HttpMethod.Post, $"/api/invitations/{invitation["token"]!.GetValue<string>()}/accept",
            admin.AccessToken, new { password = "admin password" }, HttpStatusCode.OK);
        var adminInCompany = await _api.SwitchAsync(admin.AccessToken, director.CompanyId);
        using (var report = await _api.SendRawAsync(HttpMethod.Get, "/api/seller/returns/report.csv", adminInCompany.AccessToken, null))
        {
            Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        }

        await _api.SendAsync(HttpMethod.Delete, $"/api/companies/{director.CompanyId}/accounts/{account["accountId"]}",
            director.Tokens.AccessToken, null, HttpStatusCode.NoContent);
        using var refused = await _api.SendRawAsync(HttpMethod.Get, "/api/seller/returns/report.csv", adminInCompany.AccessToken, null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private async Task<JsonNode> SendInternalAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
        using var response = await _api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
