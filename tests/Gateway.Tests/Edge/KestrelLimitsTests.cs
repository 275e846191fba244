using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Edge;

/// <summary>Limits only a real server enforces (the in-process test server has no body limit): a real gateway process.</summary>
public sealed class KestrelLimitsTests
{
    [Fact]
    public async Task A_40_MB_body_is_a_413_problem_with_its_own_type()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>());
        using var http = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/internal/orders")
        {
            Content = new StringContent($$"""{"orderId":"{{new string('x', 40 * 1024 * 1024)}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);

        // The server answers before reading a body whose declared length is over its limit; the client waits for that.
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://ozon-actors/errors/payload-too-large", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
    }
}
