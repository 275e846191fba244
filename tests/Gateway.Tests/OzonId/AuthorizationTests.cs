using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests.OzonId;

public sealed class AuthorizationTests : IDisposable
{
    /// <summary>The only endpoints that answer without a token: health, login steps, the API description, development SMS.</summary>
    private static readonly string[] PublicEndpoints =
    [
        "GET /health/live", "GET /health/ready", "GET /openapi/{documentName}.json", "GET /api/dev/sms",
        "POST /api/auth/code", "POST /api/auth/code/resend", "POST /api/auth/login", "POST /api/auth/password", "POST /api/auth/refresh",
    ];

    private readonly GatewayFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Every_endpoint_but_the_public_ones_answers_401_without_a_token()
    {
        using var client = _factory.CreateClient();
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Endpoint: e)))
            .ToList();
        // /metrics and /dashboard are the operator's, gated by the operator key in every process (silos have no users).
        var protectedOnes = endpoints.Where(e => e.Endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
            || e.Endpoint.RoutePattern.RawText!.StartsWith("/dashboard", StringComparison.Ordinal)
            || e.Endpoint.RoutePattern.RawText!.StartsWith("/metrics", StringComparison.Ordinal)).ToList();

        Assert.Equal(
            PublicEndpoints.Order(),
            endpoints.Except(protectedOnes).Select(e => $"{e.Method} {e.Endpoint.RoutePattern.RawText}").Distinct().Order());
        Assert.NotEmpty(protectedOnes);
        foreach (var (method, endpoint) in protectedOnes)
        {
            var path = string.Concat(endpoint.RoutePattern.PathSegments.Select(segment => "/" + string.Concat(segment.Parts.Select(part =>
                part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => Guid.NewGuid().ToString(),
                    _ => "",
                }))));
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} without a token");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_password_only_token_opens_its_seller_account_and_nothing_of_the_persons_own_side()
    {
        var api = _factory.CreateApi();
        var seller = await api.NewSellerAsync();
        var byPassword = ApiClient.ToTokens(await api.SendAsync(HttpMethod.Post, "/api/auth/password", null,
            new { email = seller.Email, password = seller.Password, deviceId = "borrowed-laptop-0123456789abcdef" }, HttpStatusCode.OK));

        // The seller account works …
        await api.SendAsync(HttpMethod.Get, "/api/seller/returns", byPassword.AccessToken, null, HttpStatusCode.OK);
        await api.SendAsync(HttpMethod.Get, "/api/seller/star-products", byPassword.AccessToken, null, HttpStatusCode.OK);

        // … the person's own side does not, not even after a refresh.
        var refreshed = await api.RefreshAsync(byPassword);
        foreach (var token in new[] { byPassword.AccessToken, refreshed.AccessToken })
        {
            foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
            {
                (HttpMethod.Get, "/api/referral/me", null),
                (HttpMethod.Post, "/api/referral/me/withdraw", new { points = 1 }),
                (HttpMethod.Get, "/api/customer/orders", null),
                (HttpMethod.Get, "/api/customer/returns", null),
                (HttpMethod.Post, "/api/returns", ReturnsApi.ReturnBody("ord-1")),
                (HttpMethod.Post, "/api/me/phone/change", new { }),
                (HttpMethod.Post, "/api/me/companies/link", new { email = seller.Email, password = seller.Password }),
                (HttpMethod.Post, "/api/auth/switch", new { companyId = seller.CompanyId }),
                (HttpMethod.Post, "/api/companies", new { name = "Другая", directorEmail = $"d-{Guid.NewGuid():N}@example.com", password = "another password" }),
            })
            {
                using var response = await api.SendRawAsync(method, path, token, body);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {(int)response.StatusCode} to a password-only token");
            }
        }

        // The same person's phone login still reaches their own side.
        var byPhone = await api.LoginAsync(seller.Phone);
        await api.SendAsync(HttpMethod.Get, "/api/referral/me", byPhone.AccessToken, null, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_password_only_token_does_not_reveal_the_persons_other_companies()
    {
        // Whoever knows one store's email and password must not learn which other stores the same person works for.
        var api = _factory.CreateApi();
        var seller = await api.NewSellerAsync();
        var phoneLogin = await api.LoginAsync(seller.Phone);
        var other = await api.SendAsync(HttpMethod.Post, "/api/companies", phoneLogin.AccessToken,
            new { name = "Вторая лавка", directorEmail = $"second-{Guid.NewGuid():N}@example.com", password = "another horse battery" },
            HttpStatusCode.Created);
        var otherCompanyId = other["companyId"]!.GetValue<Guid>();

        var byPassword = ApiClient.ToTokens(await api.SendAsync(HttpMethod.Post, "/api/auth/password", null,
            new { email = seller.Email, password = seller.Password, deviceId = "borrowed-laptop-0123456789abcdef" }, HttpStatusCode.OK));
        var refreshed = await api.RefreshAsync(byPassword);
        var me = await api.SendAsync(HttpMethod.Get, "/api/me", byPassword.AccessToken, null, HttpStatusCode.OK);

        foreach (var (what, accounts) in new[] { ("login", byPassword.Accounts), ("refresh", refreshed.Accounts), ("/api/me", me["accounts"]!.AsArray()) })
        {
            var companies = accounts.Select(a => a!["companyId"]!.GetValue<Guid>()).ToList();
            Assert.True(companies.SequenceEqual([seller.CompanyId]),
                $"A password-only token's {what} lists the companies {string.Join(", ", companies)}; only {seller.CompanyId}, not {otherCompanyId}");
        }

        // The phone login still lists both.
        var mine = await api.SendAsync(HttpMethod.Get, "/api/me", phoneLogin.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal(2, mine["accounts"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_customer_token_cannot_reach_seller_endpoints()
    {
        var api = _factory.CreateApi();
        var seller = await api.NewSellerAsync();
        var customer = await api.LoginAsync(seller.Phone, "other-device-0123456789abcdef");

        await api.SendAsync(HttpMethod.Get, $"/api/companies/{seller.CompanyId}", customer.AccessToken, null, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_forged_or_foreign_token_is_401()
    {
        var api = _factory.CreateApi();
        var tokens = await api.LoginAsync(ApiClient.NewPhone());
        var parts = tokens.AccessToken.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";

        await api.SendAsync(HttpMethod.Get, "/api/me", forged, null, HttpStatusCode.Unauthorized);
        await api.SendAsync(HttpMethod.Get, "/api/me", "not-a-jwt", null, HttpStatusCode.Unauthorized);
    }
}
