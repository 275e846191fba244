using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Referral;

/// <summary>Referral rewards through the HTTP API: feeds by the internal key, figures by the manager's own token.</summary>
internal static class ReferralApi
{
    public const string InternalKey = "dev-internal-key";

    public static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    /// <summary>An instant stated in Moscow time.</summary>
    public static DateTimeOffset Msk(int year, int month, int day, int hour = 12, int minute = 0) => new(year, month, day, hour, minute, 0, Moscow);

    /// <summary>
    /// A gateway whose fake clock starts at <paramref name="start"/>. The tests move the clock by weeks and fire reminders
    /// themselves, so the background loops poll hourly instead of every second of fake time.
    /// </summary>
    public static GatewayFactory StartGateway(DateTimeOffset start, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Reminders:PollInterval"] = "01:00:00",
            ["Events:PollInterval"] = "01:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new GatewayFactory(all, start);
    }

    /// <summary>Moves the fake clock to <paramref name="instant"/> and handles every reminder due by then.</summary>
    public static async Task AdvanceToAsync(this GatewayFactory factory, DateTimeOffset instant)
    {
        factory.Time.Advance(instant - factory.Time.GetUtcNow());
        await factory.Services.FireDueRemindersAsync();
    }

    public static async Task<ReferralManager> NewManagerAsync(this ApiClient api)
    {
        var phone = ApiClient.NewPhone();
        return new ReferralManager(api, phone, await api.LoginAsync(phone));
    }

    public static object Order(
        string orderId, Guid managerId, string status, DateTimeOffset at, IEnumerable<(decimal Amount, string Kind)> items, decimal deliveryCost = 0,
        decimal pointsUsed = 0, decimal bonusesUsed = 0, bool legalEntity = false) => new
        {
            orderId,
            managerId,
            status,
            at,
            items = items.Select(i => new { amount = i.Amount, kind = i.Kind }).ToArray(),
            deliveryCost,
            pointsUsed,
            bonusesUsed,
            legalEntity,
        };

    public static async Task<HttpResponseMessage> PostInternalAsync(this ApiClient api, string path, object body, string? key = InternalKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/internal/referral/{path}")
        {
            Content = body as string is { } raw ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body),
        };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await api.Http.SendAsync(request);
    }

    /// <summary>Posts to an internal endpoint and checks the status; the answer's JSON.</summary>
    public static async Task<JsonNode> InternalAsync(this ApiClient api, string path, object body, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var response = await api.PostInternalAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>An order placed and received at the given instants.</summary>
    public static async Task OrderAsync(
        this ApiClient api, Guid managerId, string orderId, DateTimeOffset placedAt, DateTimeOffset receivedAt, params (decimal Amount, string Kind)[] items)
    {
        await api.InternalAsync("orders", Order(orderId, managerId, "Placed", placedAt, items));
        await api.InternalAsync("orders", Order(orderId, managerId, "Received", receivedAt, items));
    }

    public static Task<JsonNode> CancelAsync(this ApiClient api, Guid managerId, string orderId, DateTimeOffset at, params (decimal Amount, string Kind)[] items) =>
        api.InternalAsync("orders", Order(orderId, managerId, "Canceled", at, items));

    public static object Earning(string earningId, Guid managerId, long points, DateTimeOffset at) => new { earningId, managerId, points, at };

    public static Task<JsonNode> EarnAsync(this ApiClient api, Guid managerId, string earningId, long points, DateTimeOffset at) =>
        api.InternalAsync("earnings", Earning(earningId, managerId, points, at));

    public static T Get<T>(this JsonNode node, string name) => node[name]!.GetValue<T>();

    /// <summary>Checks that the ledger's balance changes sum to <paramref name="balance"/>, entry by entry.</summary>
    public static void AssertLedgerSumsTo(JsonArray ledger, long balance)
    {
        var running = 0L;
        for (var i = 0; i < ledger.Count; i++)
        {
            var entry = ledger[i]!;
            Assert.Equal(i + 1, entry.Get<long>("sequence"));
            running += entry.Get<long>("balanceChange");
            Assert.Equal(running, entry.Get<long>("balanceAfter"));
            Assert.True(running >= 0, $"entry {i + 1} leaves a negative balance");
        }

        Assert.Equal(balance, running);
    }
}

/// <summary>A logged-in Ozon ID as a referral manager; every call takes fresh tokens, since tests move the clock.</summary>
internal sealed class ReferralManager(ApiClient api, string phone, Tokens tokens)
{
    private Tokens _tokens = tokens;

    public Guid Id => _tokens.OzonId;

    public async Task<string> TokenAsync()
    {
        try
        {
            _tokens = await api.RefreshAsync(_tokens);
        }
        catch (HttpRequestException)
        {
            // The session ran out while the clock moved months on: log in again.
            _tokens = await api.LoginAsync(phone);
        }

        return _tokens.AccessToken;
    }

    /// <summary><c>GET /api/referral/me{path}</c>.</summary>
    public async Task<JsonNode> GetAsync(string path = "") =>
        await api.SendAsync(HttpMethod.Get, $"/api/referral/me{path}", await TokenAsync(), null, HttpStatusCode.OK);

    public async Task<JsonArray> LedgerAsync() => (await GetAsync("/ledger")).AsArray();

    public async Task<JsonArray> SettlementsAsync() => (await GetAsync("/settlements")).AsArray();

    public async Task<JsonNode> WithdrawAsync(object body, HttpStatusCode expected) =>
        await api.SendAsync(HttpMethod.Post, "/api/referral/me/withdraw", await TokenAsync(), body, expected);

    /// <summary>The summary, ledger and settlements as one JSON text, to show that nothing changed.</summary>
    public async Task<string> FiguresAsync() =>
        $"{(await GetAsync()).ToJsonString()}|{(await LedgerAsync()).ToJsonString()}|{(await SettlementsAsync()).ToJsonString()}";
}
