using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OzonActors.Bench.Live;

/// <summary>A seller's company-scoped access token, as the public login API hands it out.</summary>
internal sealed record LiveSeller(Guid CompanyId, string AccessToken);

/// <summary>Signs sellers up through the gateway's public API, the way a person does: phone code, login, company, switch.</summary>
internal static partial class LiveSellers
{
    private const int Parallel = 16;

    public static async Task<IReadOnlyList<LiveSeller>> CreateAsync(HttpClient http, int count)
    {
        var sellers = new LiveSeller[count];
        var prefix = Random.Shared.Next(1000, 9999);
        await System.Threading.Tasks.Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Parallel },
            async (i, _) => sellers[i] = await Cluster.BenchApi.RetryUnavailableAsync(() => CreateOneAsync(http, $"7{prefix}{i:D6}")));
        return sellers;
    }

    private static async Task<LiveSeller> CreateOneAsync(HttpClient http, string phone)
    {
        var challenge = await PostAsync(http, "/api/auth/code", null, new { phone, channel = "Sms" });
        var messages = await http.GetFromJsonAsync<JsonArray>($"/api/dev/sms?phone={phone}")
            ?? throw new InvalidOperationException($"No code was kept for {phone}.");
        var code = SixDigits().Match(messages[0]!["text"]!.GetValue<string>()).Value;
        var login = await PostAsync(http, "/api/auth/login", null,
            new { challengeId = challenge["challengeId"]!.GetValue<Guid>(), code, deviceId = $"bench-{phone}" });
        var token = login["accessToken"]!.GetValue<string>();
        var company = await PostAsync(http, "/api/companies", token,
            new { name = $"Bench shop {phone}", directorEmail = $"bench-{phone}-{Guid.NewGuid():N}@example.com", password = "bench password 1" });
        var companyId = company["companyId"]!.GetValue<Guid>();
        var scoped = await PostAsync(http, "/api/auth/switch", token, new { companyId });
        return new LiveSeller(companyId, scoped["accessToken"]!.GetValue<string>());
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!
            : throw new HttpRequestException($"POST {path} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
