using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests.OzonId;

public sealed class LoginTests : IDisposable
{
    private readonly GatewayFactory _factory = new(new Dictionary<string, string?> { ["OzonId:PhoneCodeInterval"] = "00:01:00" });
    private readonly ApiClient _api;

    public LoginTests() => _api = _factory.CreateApi();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("Sms")]
    [InlineData("Call")]
    public async Task A_phone_logs_in_with_the_code_the_dev_provider_kept(string channel)
    {
        var phone = ApiClient.NewPhone();

        var tokens = await _api.LoginAsync(phone, channel: channel);

        var messages = await _api.Http.GetFromJsonAsync<JsonArray>($"/api/dev/sms?phone={phone}");
        Assert.Equal(channel, messages![0]!["channel"]!.GetValue<string>());
        var me = await _api.SendAsync(HttpMethod.Get, "/api/me", tokens.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal(tokens.OzonId, me["ozonId"]!.GetValue<Guid>());
        Assert.Equal($"+7 *** ***-**-{phone[^2..]}", me["maskedPhone"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_phone_always_reaches_the_same_Ozon_ID()
    {
        var phone = ApiClient.NewPhone();

        var first = await _api.LoginAsync(phone);
        _factory.Time.Advance(TimeSpan.FromMinutes(2));
        var second = await _api.LoginAsync(phone);

        Assert.Equal(first.OzonId, second.OzonId);
    }

    [Fact]
    public async Task The_code_cooldown_holds_per_phone_whichever_endpoint_asks()
    {
        var phone = ApiClient.NewPhone();
        await _api.RequestCodeAsync(phone);

        // A fresh code request for the same phone, not only a resend, waits out the minute.
        using (var again = await _api.Http.PostAsJsonAsync("/api/auth/code", new { phone, channel = "Sms" }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
            Assert.Contains("errors/resend-too-soon", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.NotNull(again.Headers.RetryAfter);
        }

        var messages = await _api.Http.GetFromJsonAsync<JsonArray>($"/api/dev/sms?phone={phone}");
        Assert.Single(messages!);

        _factory.Time.Advance(TimeSpan.FromSeconds(61));
        await _api.RequestCodeAsync(phone);
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_refresh_token_revokes_the_family()
    {
        var tokens = await _api.LoginAsync(ApiClient.NewPhone());

        var rotated = ApiClient.ToTokens(await _api.SendAsync(HttpMethod.Post, "/api/auth/refresh", null,
            new { refreshToken = tokens.RefreshToken }, HttpStatusCode.OK));
        Assert.NotEqual(tokens.RefreshToken, rotated.RefreshToken);

        var reuse = await _api.SendAsync(HttpMethod.Post, "/api/auth/refresh", null,
            new { refreshToken = tokens.RefreshToken }, HttpStatusCode.Unauthorized);
        Assert.Equal("https://ozon-actors/errors/refresh-token-reused", reuse["type"]!.GetValue<string>());
        await _api.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = rotated.RefreshToken }, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        var tokens = await _api.LoginAsync(ApiClient.NewPhone());

        await _api.SendAsync(HttpMethod.Post, "/api/auth/logout", tokens.AccessToken, null, HttpStatusCode.NoContent);

        await _api.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = tokens.RefreshToken }, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_access_token_expires_after_fifteen_minutes()
    {
        var tokens = await _api.LoginAsync(ApiClient.NewPhone());
        _factory.Time.Advance(TimeSpan.FromMinutes(14));
        await _api.SendAsync(HttpMethod.Get, "/api/me", tokens.AccessToken, null, HttpStatusCode.OK);

        _factory.Time.Advance(TimeSpan.FromMinutes(2));

        await _api.SendAsync(HttpMethod.Get, "/api/me", tokens.AccessToken, null, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_sixth_wrong_code_fails_even_when_correct()
    {
        var phone = ApiClient.NewPhone();
        var challengeId = (await _api.RequestCodeAsync(phone))["challengeId"]!.GetValue<Guid>();
        var code = await _api.ReadCodeAsync(phone);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var i = 0; i < 5; i++)
        {
            using var attempt = await _api.PostLoginAsync(challengeId, wrong, null);
            Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
        }

        using var sixth = await _api.PostLoginAsync(challengeId, code, null);
        Assert.Equal(HttpStatusCode.Unauthorized, sixth.StatusCode);
        Assert.Contains("code-attempts-exhausted", await sixth.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_expired_code_fails()
    {
        var phone = ApiClient.NewPhone();
        var challengeId = (await _api.RequestCodeAsync(phone))["challengeId"]!.GetValue<Guid>();
        var code = await _api.ReadCodeAsync(phone);

        _factory.Time.Advance(TimeSpan.FromMinutes(5));

        using var response = await _api.PostLoginAsync(challengeId, code, null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("code-expired", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_used_code_fails()
    {
        var phone = ApiClient.NewPhone();
        var challengeId = (await _api.RequestCodeAsync(phone))["challengeId"]!.GetValue<Guid>();
        var code = await _api.ReadCodeAsync(phone);
        using var first = await _api.PostLoginAsync(challengeId, code, null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var again = await _api.PostLoginAsync(challengeId, code, null);

        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains("code-used", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Resend_inside_sixty_seconds_is_429_and_after_it_a_new_code_replaces_the_old()
    {
        var phone = ApiClient.NewPhone();
        var challengeId = (await _api.RequestCodeAsync(phone))["challengeId"]!.GetValue<Guid>();
        var oldCode = await _api.ReadCodeAsync(phone);

        _factory.Time.Advance(TimeSpan.FromSeconds(59));
        using var early = await _api.SendRawAsync(HttpMethod.Post, "/api/auth/code/resend", null, new { challengeId });
        Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), early.Headers.RetryAfter?.Delta);

        _factory.Time.Advance(TimeSpan.FromSeconds(1));
        await _api.SendAsync(HttpMethod.Post, "/api/auth/code/resend", null, new { challengeId }, HttpStatusCode.Accepted);
        var newCode = await _api.ReadCodeAsync(phone);
        if (newCode != oldCode)
        {
            using var stale = await _api.PostLoginAsync(challengeId, oldCode, null);
            Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        }

        using var fresh = await _api.PostLoginAsync(challengeId, newCode, null);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task The_eleventh_send_to_a_phone_in_an_hour_is_429()
    {
        var phone = ApiClient.NewPhone();
        for (var i = 0; i < 10; i++)
        {
            await _api.RequestCodeAsync(phone);
            _factory.Time.Advance(TimeSpan.FromMinutes(5));
        }

        using var eleventh = await _api.SendRawAsync(HttpMethod.Post, "/api/auth/code", null, new { phone, channel = "Sms" });
        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
        Assert.Equal("application/problem+json", eleventh.Content.Headers.ContentType?.MediaType);

        // The window slides: an hour after the first send, one more is allowed.
        _factory.Time.Advance(TimeSpan.FromMinutes(10));
        await _api.RequestCodeAsync(phone);
    }

    [Fact]
    public async Task Known_and_unknown_phones_get_identical_answers()
    {
        var known = ApiClient.NewPhone();
        await _api.LoginAsync(known);
        _factory.Time.Advance(TimeSpan.FromMinutes(1));
        var unknown = ApiClient.NewPhone();

        using var forKnown = await _api.SendRawAsync(HttpMethod.Post, "/api/auth/code", null, new { phone = known, channel = "Sms" });
        using var forUnknown = await _api.SendRawAsync(HttpMethod.Post, "/api/auth/code", null, new { phone = unknown, channel = "Sms" });

        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(Shape(await forKnown.Content.ReadAsStringAsync(), known), Shape(await forUnknown.Content.ReadAsStringAsync(), unknown));
        Assert.Equal(
            forKnown.Headers.Select(h => h.Key).Order(),
            forUnknown.Headers.Select(h => h.Key).Order());
    }

    [Fact]
    public async Task No_response_body_shows_a_full_phone_number()
    {
        var phone = ApiClient.NewPhone();
        var bodies = new List<string>();
        using (var code = await _api.SendRawAsync(HttpMethod.Post, "/api/auth/code", null, new { phone, channel = "Sms" }))
        {
            bodies.Add(await code.Content.ReadAsStringAsync());
        }

        _factory.Time.Advance(TimeSpan.FromSeconds(61)); // the phone's code cooldown
        var seller = await _api.NewSellerAsync(phone);
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, "/api/me"),
            (HttpMethod.Get, $"/api/companies/{seller.CompanyId}"),
        })
        {
            using var response = await _api.SendRawAsync(method, path, seller.Tokens.AccessToken, null);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        using (var refresh = await _api.SendRawAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = seller.Tokens.RefreshToken }))
        {
            bodies.Add(await refresh.Content.ReadAsStringAsync());
        }

        Assert.All(bodies, body => Assert.DoesNotContain(phone[1..], body));
        Assert.Contains(bodies, body => body.Contains($"-{phone[^2..]}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_moderator_phone_gets_the_moderator_role()
    {
        var moderator = await _api.LoginAsync(GatewayFactory.ModeratorPhone);
        var customer = await _api.LoginAsync(ApiClient.NewPhone());

        Assert.True((await _api.SendAsync(HttpMethod.Get, "/api/me", moderator.AccessToken, null, HttpStatusCode.OK))["isModerator"]!.GetValue<bool>());
        Assert.False((await _api.SendAsync(HttpMethod.Get, "/api/me", customer.AccessToken, null, HttpStatusCode.OK))["isModerator"]!.GetValue<bool>());
    }

    /// <summary>The answer with the per-request values (ids, instants, the masked digits) blanked.</summary>
    private static string Shape(string json, string phone)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        return string.Join(',', node.Select(p => p.Key + ":" + p.Key switch
        {
            "maskedPhone" => p.Value!.GetValue<string>().Replace(phone[^2..], "##", StringComparison.Ordinal),
            _ => p.Value!.GetValueKind().ToString(),
        }));
    }
}
