using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OzonActors.Gateway.Tests.Support;

/// <summary>The returns program through its public HTTP API: orders in by the internal key, requests by their parties.</summary>
public static class ReturnsApi
{
    public const string InternalKey = "dev-internal-key";

    /// <summary>Records a delivered order with one line <c>L1</c> and returns its id.</summary>
    public static async Task<string> RecordOrderAsync(
        this ApiClient api, Guid customerId, Guid sellerId, decimal price = 5000m, string category = "Other", int quantity = 1,
        DateTimeOffset? deliveredAt = null, bool crossBorder = false, string? orderId = null)
    {
        orderId ??= $"ord-{Guid.NewGuid():N}";
        using var response = await api.PostOrderAsync(OrderBody(orderId, customerId, sellerId, price, category, quantity, deliveredAt, crossBorder));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return orderId;
    }

    public static object OrderBody(
        string orderId, Guid customerId, Guid sellerId, decimal price = 5000m, string category = "Other", int quantity = 1,
        DateTimeOffset? deliveredAt = null, bool crossBorder = false) => new
        {
            orderId,
            customerId,
            sellerId,
            deliveredAt = deliveredAt ?? DateTimeOffset.UtcNow.AddDays(-1),
            crossBorder,
            lines = new[]
            {
                new { lineId = "L1", productId = "P1", name = "Kettle, \"steel\"", category, price, quantity, technicallyComplex = false },
            },
        };

    public static async Task<HttpResponseMessage> PostOrderAsync(this ApiClient api, object body, string? key = InternalKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/internal/orders") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await api.Http.SendAsync(request);
    }

    public static object ReturnBody(string orderId, int quantity = 1, string quality = "Improper") => new
    {
        orderId,
        lineId = "L1",
        quantity,
        reason = "The lid does not close",
        quality,
        photos = new[] { "https://example.com/photo-1.jpg" },
    };

    public static Task<JsonNode> CreateReturnAsync(this ApiClient api, Tokens customer, string orderId, int quantity = 1) =>
        api.SendAsync(HttpMethod.Post, "/api/returns", customer.AccessToken, ReturnBody(orderId, quantity), HttpStatusCode.Created);

    /// <summary>POSTs an action on a request and checks the status code.</summary>
    public static Task<JsonNode> ActAsync(
        this ApiClient api, string token, JsonNode request, string action, HttpStatusCode expected, object? body = null) =>
        api.SendAsync(HttpMethod.Post, $"/api/returns/{request["id"]}/{action}", token, body ?? new { }, expected);

    public static string Status(this JsonNode request) => request["status"]!.GetValue<string>();

    public static string ProblemType(this JsonNode problem) => problem["type"]!.GetValue<string>();
}
