using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OzonActors.Gateway.Tests.Support;

/// <summary>Logged-in tokens as the login endpoints return them.</summary>
public sealed record Tokens(string AccessToken, string RefreshToken, Guid OzonId, string DeviceId, JsonArray Accounts);

/// <summary>A seller logged in to its own new company.</summary>
public sealed record Seller(Tokens Tokens, Guid CompanyId, Guid AccountId, string Phone, string Email, string Password);

/// <summary>Drives the public HTTP API the way a client does: phone → dev SMS code → tokens, and so on.</summary>
public sealed partial class ApiClient(HttpClient http)
{
    private static int _phoneCounter = Random.Shared.Next(1_000_000);

    public HttpClient Http => http;

    /// <summary>A phone number no other test uses.</summary>
    public static string NewPhone() => $"7999{Interlocked.Increment(ref _phoneCounter) % 10_000_000:D7}";

    public async Task<JsonNode> RequestCodeAsync(string phone, string channel = "Sms")
    {
        using var response = await http.PostAsJsonAsync("/api/auth/code", new { phone, channel });
        return await ReadAsync(response, HttpStatusCode.Accepted);
    }

    /// <summary>The code in the newest message the Dev provider kept for the phone.</summary>
    public async Task<string> ReadCodeAsync(string phone)
    {
        var messages = await http.GetFromJsonAsync<JsonArray>($"/api/dev/sms?phone={phone}");
        var text = messages![0]!["text"]!.GetValue<string>();
        return SixDigits().Match(text).Value;
    }

    public async Task<HttpResponseMessage> PostLoginAsync(Guid challengeId, string code, string? deviceId) =>
        await http.PostAsJsonAsync("/api/auth/login", new { challengeId, code, deviceId });

    /// <summary>The whole phone login: code request, code from the Dev provider, login.</summary>
    public async Task<Tokens> LoginAsync(string phone, string? deviceId = null, string channel = "Sms")
    {
        var challenge = await RequestCodeAsync(phone, channel);
        var code = await ReadCodeAsync(phone);
        using var response = await PostLoginAsync(challenge["challengeId"]!.GetValue<Guid>(), code, deviceId);
        return ToTokens(await ReadAsync(response, HttpStatusCode.OK));
    }

    /// <summary>Logs in by phone, signs up a company and switches into it.</summary>
    public async Task<Seller> NewSellerAsync(string? phone = null, string? deviceId = null)
    {
        phone ??= NewPhone();
        var tokens = await LoginAsync(phone, deviceId ?? $"device-{Guid.NewGuid():N}");
        var email = $"director-{Guid.NewGuid():N}@example.com";
        const string password = "correct horse battery";
        var created = await SendAsync(HttpMethod.Post, "/api/companies", tokens.AccessToken,
            new { name = $"Shop {phone[^4..]}", directorEmail = email, password }, HttpStatusCode.Created);
        var companyId = created["companyId"]!.GetValue<Guid>();
        var seller = await SwitchAsync(tokens.AccessToken, companyId);
        return new Seller(seller, companyId, created["accountId"]!.GetValue<Guid>(), phone, email, password);
    }

    /// <summary>New tokens for the same session, e.g. after the fake clock moved past the access token's 15 minutes.</summary>
    public async Task<Tokens> RefreshAsync(Tokens tokens) =>
        ToTokens(await SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = tokens.RefreshToken }, HttpStatusCode.OK));

    public async Task<Tokens> SwitchAsync(string accessToken, Guid companyId) =>
        ToTokens(await SendAsync(HttpMethod.Post, "/api/auth/switch", accessToken, new { companyId }, HttpStatusCode.OK));

    /// <summary>Sends a request with an optional bearer token and JSON body, and checks the status.</summary>
    public async Task<JsonNode> SendAsync(HttpMethod method, string path, string? accessToken, object? body, HttpStatusCode expected)
    {
        using var response = await SendRawAsync(method, path, accessToken, body);
        return await ReadAsync(response, expected);
    }

    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? accessToken, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = body is string raw
                ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json")
                : JsonContent.Create(body);
        }

        return await http.SendAsync(request);
    }

    public static Tokens ToTokens(JsonNode json) => new(
        json["accessToken"]!.GetValue<string>(),
        json["refreshToken"]!.GetValue<string>(),
        json["ozonId"]!.GetValue<Guid>(),
        json["deviceId"]!.GetValue<string>(),
        json["accounts"]!.AsArray());

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        }

        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
