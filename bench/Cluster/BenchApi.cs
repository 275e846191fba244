using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OzonActors.Bench.Live;

namespace OzonActors.Bench.Cluster;

/// <summary>A customer logged in by phone: its Ozon ID (the <c>customerId</c> of its orders) and access token.</summary>
internal sealed record ApiCustomer(Guid OzonId, string AccessToken);

/// <summary>One HTTP answer: its status and, when it had one, its JSON body.</summary>
internal readonly record struct ApiAnswer(HttpStatusCode Status, JsonNode? Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>
/// The public HTTP API as the bench's clients use it (see API.md): phone login with the Development SMS outbox, sellers
/// signed up as in <see cref="LiveSellers"/>, delivered orders by the internal key, return requests and their actions.
/// </summary>
internal static partial class BenchApi
{
    /// <summary>The Development <c>Gateway:InternalApiKey</c>.</summary>
    public const string InternalKey = "dev-internal-key";

    /// <summary>Every order line has this id and quantity 1: one return per order.</summary>
    public const string LineId = "L1";

    private const int Parallel = 8;

    /// <summary>Customer phones start with 70 (seller phones of <see cref="LiveSellers"/> never do), then a run prefix and a counter.</summary>
    private static readonly string PhonePrefix = $"70{Random.Shared.Next(100):D2}";

    private static int _phones = -1;

    /// <summary>Logs <paramref name="count"/> new customers in through <paramref name="http"/>, a few at a time.</summary>
    public static async Task<IReadOnlyList<ApiCustomer>> LoginCustomersAsync(HttpClient http, int count)
    {
        var customers = new ApiCustomer[count];
        await System.Threading.Tasks.Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (i, _) =>
        {
            var phone = $"{PhonePrefix}{Interlocked.Increment(ref _phones):D7}";
            customers[i] = await RetryUnavailableAsync(() => LoginAsync(http, phone));
        });
        return customers;
    }

    /// <summary>
    /// Runs a setup step again (up to three times, a second apart) when the API answered 503: a freshly started cluster's
    /// first calls may outlast the client's response timeout while silos start and grains first activate.
    /// </summary>
    public static async Task<T> RetryUnavailableAsync<T>(Func<Task<T>> step)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (HttpRequestException exception) when (exception.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 3)
            {
                Report.Progress($"Setup call answered 503, trying again: {exception.Message}");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>The phone login: a code by SMS, read from the Development outbox (<c>/api/dev/sms</c>), then the login.</summary>
    public static async Task<ApiCustomer> LoginAsync(HttpClient http, string phone)
    {
        var challenge = await RequireAsync(http, HttpMethod.Post, "/api/auth/code", null, new { phone, channel = "Sms" });
        var messages = await http.GetFromJsonAsync<JsonArray>($"/api/dev/sms?phone={phone}")
            ?? throw new InvalidOperationException($"No code was kept for {phone}.");
        var code = SixDigits().Match(messages[0]!["text"]!.GetValue<string>()).Value;
        var login = await RequireAsync(http, HttpMethod.Post, "/api/auth/login", null,
            new { challengeId = challenge["challengeId"]!.GetValue<Guid>(), code, deviceId = $"bench-{phone}" });
        return new ApiCustomer(login["ozonId"]!.GetValue<Guid>(), login["accessToken"]!.GetValue<string>());
    }

    /// <summary>A delivered order (yesterday) with one line <see cref="LineId"/> of quantity 1 at <paramref name="price"/> RUB.</summary>
    public static object Order(string orderId, Guid customerId, Guid sellerId, decimal price) => new
    {
        orderId,
        customerId,
        sellerId,
        deliveredAt = DateTimeOffset.UtcNow.AddDays(-1),
        crossBorder = false,
        lines = new[]
        {
            new { lineId = LineId, productId = "bench-kettle", name = "Bench kettle", category = "Other", price, quantity = 1, technicallyComplex = false },
        },
    };

    /// <summary>The body of <c>POST /api/returns</c> for the order's line.</summary>
    public static object Return(string orderId) => new
    {
        orderId,
        lineId = LineId,
        quantity = 1,
        reason = "The lid does not close",
        quality = "Improper",
        photos = new[] { "https://example.com/bench-photo-1.jpg" },
    };

    /// <summary><c>POST /api/internal/orders</c> with the internal key.</summary>
    public static Task<ApiAnswer> RecordOrderAsync(HttpClient http, object order) =>
        SendAsync(http, HttpMethod.Post, "/api/internal/orders", null, order, internalKey: true);

    /// <summary>Sends a request (optional bearer token, JSON body, internal key) and reads its answer; transport failures throw.</summary>
    public static async Task<ApiAnswer> SendAsync(
        HttpClient http, HttpMethod method, string path, string? token, object? body, bool internalKey = false,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (internalKey)
        {
            request.Headers.Add("X-Api-Key", InternalKey);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ApiAnswer(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Like <see cref="SendAsync"/>, but anything other than a 2xx throws with the answer.</summary>
    public static async Task<JsonNode> RequireAsync(HttpClient http, HttpMethod method, string path, string? token, object? body, bool internalKey = false)
    {
        var answer = await SendAsync(http, method, path, token, body, internalKey);
        return answer.IsSuccess
            ? answer.Body ?? new JsonObject()
            : throw new HttpRequestException(
                $"{method} {path} answered {((int)answer.Status).ToString(CultureInfo.InvariantCulture)}: {answer.Body?.ToJsonString()}",
                null, answer.Status);
    }

    /// <summary>An HTTP client of one gateway, for many concurrent requests.</summary>
    public static HttpClient Client(Uri baseAddress) => new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
