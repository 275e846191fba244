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
        var protectedOnes = endpoints.Where(e => e.Endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null).ToList();

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
