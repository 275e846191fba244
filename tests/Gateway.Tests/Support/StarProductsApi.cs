using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Events;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Support;

/// <summary>A line of a program order as the marketplace sends it.</summary>
public sealed record StarLine(string ProductId, decimal SellerPrice, int Quantity = 1);

/// <summary>A product page view as the marketplace sends it.</summary>
public sealed record StarView(string ProductId, Guid CustomerId, DateTimeOffset At);

/// <summary>
/// The gateway on a fake clock that starts at a chosen instant, with the Star Products feeds (internal key) and
/// sellers whose tokens are refreshed whenever the clock has moved. Instants are written in Moscow time.
/// </summary>
public sealed class StarProductsWorld : IAsyncDisposable
{
    public static readonly TimeSpan MoscowOffset = TimeSpan.FromHours(3);

    private StarProductsWorld(DateTimeOffset start)
    {
        // Tests move the clock by months: sessions and events must outlive those moves, and the periodic timers of the
        // fake clock (idle collection, reminder polling) tick every few hours rather than every minute on the way.
        Factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["OzonId:SessionLifetime"] = "800.00:00:00",
            ["Events:Retention"] = "800.00:00:00",
            ["Runtime:CollectionQuantum"] = "06:00:00",
            ["Reminders:PollInterval"] = "06:00:00",
        }, start);
        Api = Factory.CreateApi();
    }

    public GatewayFactory Factory { get; }

    public ApiClient Api { get; }

    public DateTimeOffset Now => Factory.Time.GetUtcNow();

    /// <summary>A Moscow wall-clock instant (UTC+3).</summary>
    public static DateTimeOffset Msk(int year, int month, int day, int hour, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, MoscowOffset);

    public static StarProductsWorld Start(DateTimeOffset start) => new(start);

    public ValueTask DisposeAsync() => Factory.DisposeAsync();

    /// <summary>Moves the clock forward to <paramref name="at"/> and handles every reminder due by then.</summary>
    public async Task MoveToAsync(DateTimeOffset at)
    {
        var now = Now;
        Assert.True(at >= now, $"The clock cannot go back from {now:O} to {at:O}.");
        Factory.Time.Advance(at - now);
        await Factory.Services.FireDueRemindersAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>A new seller company (director logged in), with one moderated product unless told otherwise.</summary>
    public async Task<StarSeller> NewSellerAsync(bool withModeratedProduct = true)
    {
        var seller = new StarSeller(this, await Api.NewSellerAsync());
        if (withModeratedProduct)
        {
            await RecordProductAsync(seller.Id, $"P-{Guid.NewGuid():N}", moderated: true);
        }

        return seller;
    }

    /// <summary>Invites a person with <paramref name="role"/> into the seller's company; they accept and switch into it.</summary>
    public async Task<StarSeller> NewEmployeeAsync(StarSeller company, string role = "Employee")
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        var invitation = await Api.SendAsync(HttpMethod.Post, $"/api/companies/{company.Id}/invitations", await company.TokenAsync(),
            new { email, role }, HttpStatusCode.Created);
        var phone = ApiClient.NewPhone();
        var invitee = await Api.LoginAsync(phone, $"{role}-device-0123456789abcdef");
        const string password = "invitee password";
        var account = await Api.SendAsync(HttpMethod.Post, $"/api/invitations/{invitation["token"]!.GetValue<string>()}/accept",
            invitee.AccessToken, new { password }, HttpStatusCode.OK);
        var tokens = await Api.SwitchAsync(invitee.AccessToken, company.Id);
        return new StarSeller(this, new Seller(tokens, company.Id, account["accountId"]!.GetValue<Guid>(), phone, email, password));
    }

    /// <summary>POSTs to an internal feed with the key (or another, or none) and returns the raw answer.</summary>
    public async Task<HttpResponseMessage> PostInternalAsync(string path, object body, string? key = ReturnsApi.InternalKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await Api.Http.SendAsync(request);
    }

    public async Task<JsonNode> PostInternalAsync(string path, object body, HttpStatusCode expected)
    {
        using var response = await PostInternalAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public Task<JsonNode> RecordProductAsync(Guid sellerId, string productId, bool moderated, HttpStatusCode expected = HttpStatusCode.Accepted) =>
        PostInternalAsync("/api/internal/products", new { productId, sellerId, moderated }, expected);

    /// <summary>Records a program order and returns what recording it did (<c>recorded, inProgram, fee, compensation</c>).</summary>
    public Task<JsonNode> OrderAsync(StarSeller seller, Guid customerId, DateTimeOffset at, string orderId, params StarLine[] lines) =>
        PostInternalAsync("/api/internal/star-products/orders", OrderBody(seller.Id, customerId, at, orderId, lines), HttpStatusCode.Accepted);

    public static object OrderBody(Guid sellerId, Guid customerId, DateTimeOffset at, string orderId, params StarLine[] lines) => new
    {
        orderId,
        sellerId,
        customerId,
        at,
        lines = lines.Select(l => new { productId = l.ProductId, sellerPrice = l.SellerPrice, quantity = l.Quantity }).ToArray(),
    };

    /// <summary>Records views as one batch; returns <c>received, programViews, unknownProducts</c>.</summary>
    public Task<JsonNode> ViewsAsync(params StarView[] views) =>
        PostInternalAsync("/api/internal/star-products/views",
            new { views = views.Select(v => new { productId = v.ProductId, customerId = v.CustomerId, at = v.At }).ToArray() },
            HttpStatusCode.Accepted);

    public Task<JsonNode> AutoConnectAsync(Guid sellerId, HttpStatusCode expected = HttpStatusCode.OK) =>
        PostInternalAsync("/api/internal/star-products/connect", new { sellerId }, expected);

    /// <summary>Every event of the seller's program stream, in log order.</summary>
    public async Task<IReadOnlyList<EventEnvelope>> EventsOfAsync(Guid sellerId)
    {
        var log = Factory.Services.GetRequiredService<IEventLog>();
        var events = new List<EventEnvelope>();
        var after = EventPosition.Start;
        while (true)
        {
            var batch = await log.ReadAsync(after, 1000, CancellationToken.None);
            if (batch.Events.Count == 0)
            {
                return [.. events.Where(e => e.Stream == $"star-products:{sellerId}")];
            }

            events.AddRange(batch.Events);
            after = batch.Events[^1].Position;
        }
    }

    /// <summary>Every event one client with <paramref name="audiences"/> may replay.</summary>
    public async Task<IReadOnlyList<EventEnvelope>> EventsForAsync(params string[] audiences)
    {
        var log = Factory.Services.GetRequiredService<IEventLog>();
        var head = await log.GetHeadAsync(CancellationToken.None);
        var batch = await log.ReadForAudiencesAsync(EventPosition.Start, head, audiences, 10_000, CancellationToken.None);
        return batch.Events;
    }
}

/// <summary>An employee of a seller company on its Star Products tab; the access token is refreshed after the clock moved.</summary>
public sealed class StarSeller(StarProductsWorld world, Seller seller)
{
    public const string Path = "/api/seller/star-products";

    private Tokens _tokens = seller.Tokens;
    private DateTimeOffset _issuedAt = world.Now;

    /// <summary>The company.</summary>
    public Guid Id => seller.CompanyId;

    public Seller Account => seller;

    public string Email => seller.Email;

    public async Task<string> TokenAsync()
    {
        if (world.Now - _issuedAt >= TimeSpan.FromMinutes(10))
        {
            _tokens = await world.Api.RefreshAsync(_tokens);
            _issuedAt = world.Now;
        }

        return _tokens.AccessToken;
    }

    public async Task<JsonNode> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await world.Api.SendAsync(HttpMethod.Get, Path + path, await TokenAsync(), null, expected);

    public async Task<JsonNode> PostAsync(string path, object? body, HttpStatusCode expected = HttpStatusCode.OK) =>
        await world.Api.SendAsync(HttpMethod.Post, Path + path, await TokenAsync(), body, expected);

    public Task<JsonNode> StatusAsync() => GetAsync("");

    public Task<JsonNode> ConnectAsync(HttpStatusCode expected = HttpStatusCode.OK) => PostAsync("/connect", null, expected);

    public Task<JsonNode> DisconnectAsync(string reason, HttpStatusCode expected = HttpStatusCode.OK) =>
        PostAsync("/disconnect", new { reason }, expected);

    public async Task<JsonArray> HistoryAsync() => (await GetAsync("/history")).AsArray();

    public Task<JsonNode> AnalyticsAsync(int days, HttpStatusCode expected = HttpStatusCode.OK) => GetAsync($"/analytics?days={days}", expected);

    public Task<JsonNode> CertificateAsync(string period) => GetAsync($"/certificates?period={period}");

    public async Task<JsonArray> CertificatesAsync() => (await GetAsync("/certificates")).AsArray();
}

/// <summary>Reading the program's JSON answers.</summary>
public static class StarJson
{
    public static bool Connected(this JsonNode status) => status["connected"]!.GetValue<bool>();

    public static int DaysLeft(this JsonNode status) => status["trialDaysLeft"]!.GetValue<int>();

    /// <summary><c>trialEndsOn</c> as written (<c>2026-12-01</c>), or null.</summary>
    public static string? EndsOn(this JsonNode status) => status["trialEndsOn"]?.GetValue<string>();

    public static decimal Fee(this JsonNode recorded) => recorded["fee"]!.GetValue<decimal>();

    public static decimal Decimal(this JsonNode node, string name) => node[name]!.GetValue<decimal>();

    /// <summary>The trial figures of a status or history entry: (days left, last free day).</summary>
    public static (int Left, string? EndsOn) Trial(this JsonNode status) => (status.DaysLeft(), status.EndsOn());
}
