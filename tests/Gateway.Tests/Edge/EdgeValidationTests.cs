using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Edge;

/// <summary>
/// One rule for every id and text at the edge, the same in memory and on PostgreSQL: the empty GUID, an id with a control
/// character or a trailing newline, and a NUL in any text are a 400 naming the field, never a 500 or a "try again" 503,
/// and they change nothing.
/// </summary>
public sealed class EdgeValidationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string EmptyId = "00000000-0000-0000-0000-000000000000";

    [Theory]
    [InlineData("memory")]
    [InlineData("postgres")]
    public async Task The_empty_guid_as_any_id_is_a_400_naming_the_field_even_on_anonymous_endpoints(string backend)
    {
        using var factory = Factory(backend);
        var api = factory.CreateApi();
        await AssertRefusedAsync(api, HttpMethod.Post, "/api/auth/login", null, new { challengeId = EmptyId, code = "123456" }, "challengeId");
        await AssertRefusedAsync(api, HttpMethod.Post, "/api/auth/code/resend", null, new { challengeId = EmptyId }, "challengeId");

        var customer = await api.LoginAsync(ApiClient.NewPhone());
        await AssertRefusedAsync(api, HttpMethod.Get, $"/api/returns/{EmptyId}", customer.AccessToken, null, "id");
        await AssertRefusedAsync(api, HttpMethod.Post, $"/api/returns/{EmptyId}/cancel", customer.AccessToken, new { }, "id");
        await AssertRefusedInternalAsync(api, "/api/internal/referral/earnings",
            new { earningId = "e-1", managerId = EmptyId, points = 100, at = DateTimeOffset.UtcNow.AddHours(-1) }, "managerId");
        await AssertRefusedInternalAsync(api, "/api/internal/orders",
            ReturnsApi.OrderBody($"ord-{Guid.NewGuid():N}", customer.OzonId, Guid.Empty), "sellerId");
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("postgres")]
    public async Task An_id_ending_in_a_newline_is_a_400_and_records_nothing(string backend)
    {
        using var factory = Factory(backend);
        var api = factory.CreateApi();
        var customer = await api.LoginAsync(ApiClient.NewPhone());
        var orderId = $"ord-{Guid.NewGuid():N}";

        await AssertRefusedInternalAsync(api, "/api/internal/orders", ReturnsApi.OrderBody(orderId + "\n", customer.OzonId, Guid.NewGuid()), "orderId");
        await AssertRefusedInternalAsync(api, "/api/internal/referral/earnings",
            new { earningId = "e-1\r\n", managerId = customer.OzonId, points = 100, at = DateTimeOffset.UtcNow.AddHours(-1) }, "earningId");

        using var lookup = new HttpRequestMessage(HttpMethod.Get, $"/api/internal/orders/{orderId}");
        lookup.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
        using var missing = await api.Http.SendAsync(lookup);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("postgres")]
    public async Task A_NUL_in_any_text_is_a_400_on_every_backend_and_holds_no_quantity(string backend)
    {
        using var factory = Factory(backend);
        var api = factory.CreateApi();
        var customer = await api.LoginAsync(ApiClient.NewPhone());
        var orderId = await api.RecordOrderAsync(customer.OzonId, Guid.NewGuid(), quantity: 1);

        var body = new
        {
            orderId,
            lineId = "L1",
            quantity = 1,
            reason = "The lid\u0000 does not close",
            quality = "Improper",
            photos = new[] { "https://example.com/photo-1.jpg" },
        };
        await AssertRefusedAsync(api, HttpMethod.Post, "/api/returns", customer.AccessToken, body, "reason");
        var mine = await api.SendAsync(HttpMethod.Get, "/api/customer/returns", customer.AccessToken, null, HttpStatusCode.OK);
        Assert.Empty(mine is JsonArray list ? list : mine["items"]!.AsArray());

        // The whole quantity is still returnable, and free text may hold line breaks.
        var created = await api.SendAsync(HttpMethod.Post, "/api/returns", customer.AccessToken,
            new { body.orderId, body.lineId, body.quantity, reason = "The lid does not close", body.quality, body.photos, comment = "Line one\nLine two" },
            HttpStatusCode.Created);
        Assert.Equal("New", created.Status());
    }

    private GatewayFactory Factory(string backend) => backend == "memory"
        ? new GatewayFactory()
        : new GatewayFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Orleans:SiloPort"] = Port(),
            ["Orleans:GatewayPort"] = Port(),
            ["Orleans:AdvertisedIP"] = "127.0.0.1",
        });

    private static async Task AssertRefusedInternalAsync(ApiClient api, string path, object body, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
        using var response = await api.Http.SendAsync(request);
        await AssertProblemAsync(response, field);
    }

    private static async Task AssertRefusedAsync(ApiClient api, HttpMethod method, string path, string? token, object? body, string field)
    {
        using var response = await api.SendRawAsync(method, path, token, body);
        await AssertProblemAsync(response, field);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal("https://ozon-actors/errors/invalid-request", problem["type"]!.GetValue<string>());
        Assert.True(problem["errors"]?[field] is not null, $"the problem names '{field}': {text}");
    }

    private static string Port() => GatewayProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
