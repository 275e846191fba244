using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;
using Xunit.Abstractions;

namespace OzonActors.Gateway.Tests.Reliability;

/// <summary>
/// Every operation of <c>/openapi/v1.json</c>, on PostgreSQL, called by the party it serves with bad input generated from
/// the document itself (junk path ids, junk query values, malformed JSON, wrong types, NUL and control characters,
/// 10,000-character texts, unknown enum values, zero, negative and huge numbers, missing fields): never a 5xx, every 4xx a
/// problem+json with a stable type, and a refused request changes no row of any table.
/// </summary>
public sealed class EndpointFuzzTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    /// <summary>Fewer operations than this means the document was not read, or the fuzzing silently covers nothing.</summary>
    private const int MinimumOperations = 55;

    [Fact]
    public async Task Bad_input_to_any_endpoint_is_a_4xx_problem_and_a_refusal_changes_no_row()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Orleans:SiloPort"] = Port(),
            ["Orleans:GatewayPort"] = Port(),
            ["Orleans:AdvertisedIP"] = "127.0.0.1",
        });
        var api = factory.CreateApi();
        var document = JsonNode.Parse(await api.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var fixture = await FuzzFixture.CreateAsync(api);
        var policies = Policies(factory);

        var operations = FuzzCases.Operations(document);
        var defects = new List<string>();
        var sent = 0;
        var unsendable = 0;
        var writesSeen = 0;
        var statuses = new SortedDictionary<int, int>();

        // Operations where some case got past authentication: an operation whose every answer is 401 or 403 was not fuzzed at all.
        var reached = new HashSet<string>();
        var accepted = new List<string>();
        var before = await DatabaseSnapshot.TakeAsync(database.ConnectionString);
        foreach (var operation in operations)
        {
            var policy = policies.GetValueOrDefault(operation.Key);
            foreach (var fuzz in FuzzCases.For(document, operation, fixture.Value).Concat(AuthCases(operation, policy, fixture)))
            {
                using var request = new HttpRequestMessage(new HttpMethod(operation.Method), fuzz.Path);
                if (!fuzz.Description.StartsWith("auth ", StringComparison.Ordinal))
                {
                    fixture.Authorize(request, policy);
                }

                if (fuzz.Description == "auth wrong X-Api-Key")
                {
                    request.Headers.Add("X-Api-Key", "wrong-key");
                }
                else if (fuzz.Description.StartsWith("auth bearer", StringComparison.Ordinal))
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fuzz.Description[12..] == "junk" ? "not.a.jwt" : new string('a', 10_000));
                }

                if (fuzz.Body is not null)
                {
                    request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(fuzz.Body));
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(fuzz.ContentType) { CharSet = "utf-8" };
                }

                HttpResponseMessage response;
                try
                {
                    response = await api.Http.SendAsync(request);
                }
                catch (InvalidOperationException e) when (e.Message.Contains("null characters", StringComparison.Ordinal))
                {
                    // The in-process test host will not build such a path (Kestrel refuses it before any middleware).
                    unsendable++;
                    continue;
                }

                using var _ = response;
                sent++;
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                if (!fuzz.Description.StartsWith("auth ", StringComparison.Ordinal) && response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                {
                    reached.Add(operation.Key);
                }

                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                var label = $"{operation.Key} [{fuzz.Description}] → {status}";
                var after = await DatabaseSnapshot.TakeAsync(database.ConnectionString);
                var changed = before.Differences(after);
                before = after;
                if (status >= 500)
                {
                    defects.Add($"{label}: {Shorten(text)}");
                }
                else if (status < 400)
                {
                    if (fuzz.SurelyInvalid)
                    {
                        defects.Add($"{label}: bad input accepted: {Shorten(text)}");
                    }

                    accepted.Add(label);
                    writesSeen += changed.Count > 0 ? 1 : 0;
                }
                else
                {
                    var type = ProblemType(response, text);
                    if (type is null)
                    {
                        defects.Add($"{label}: not a problem+json with a type ({response.Content.Headers.ContentType}): {Shorten(text)}");
                    }

                    if (changed.Count > 0)
                    {
                        defects.Add($"{label}: refused, yet changed {string.Join(", ", changed)}");
                    }
                }
            }
        }

        output.WriteLine($"{sent} fuzz cases ({unsendable} more not sendable in process) over {operations.Count} operations; {accepted.Count} accepted as valid (allowed for suspicious, not surely invalid, input)");
        output.WriteLine("answers: " + string.Join(", ", statuses.Select(s => $"{s.Key} × {s.Value}")));
        foreach (var line in accepted)
        {
            output.WriteLine("  accepted: " + line);
        }

        Assert.True(operations.Count >= MinimumOperations, $"only {operations.Count} operations in the OpenAPI document");
        Assert.True(sent >= operations.Count * 3, $"only {sent} cases");
        // (An operation that takes no input at all, like GET /api/me, has only its credentials to get wrong.)
        var unreached = operations.Where(o => o.PathParameters.Count + o.QueryParameters.Count > 0 || o.BodySchema is not null)
            .Select(o => o.Key).Where(k => !reached.Contains(k)).ToList();
        Assert.True(unreached.Count == 0, "only 401/403 answers, so not fuzzed: " + string.Join(", ", unreached));
        // The snapshot is not blind: some suspicious input was valid after all (a return without a comment), and its write showed.
        Assert.True(writesSeen > 0, "no accepted request changed the snapshot");
        Assert.True(defects.Count == 0, $"{defects.Count} defects:\n" + string.Join('\n', defects.Take(60)));
    }

    /// <summary>Every operation is also sent without its credentials, and with a junk or oversized token (or a wrong key).</summary>
    private static IEnumerable<FuzzCase> AuthCases(FuzzOperation operation, string? policy, FuzzFixture fixture)
    {
        if (policy is null)
        {
            yield break;
        }

        var path = System.Text.RegularExpressions.Regex.Replace(operation.Path, @"\{(\w+)\}", m => fixture.Value(m.Groups[1].Value));
        var body = operation.BodySchema is null ? null : "{}";
        yield return new FuzzCase("auth none", path, body, SurelyInvalid: true);
        yield return new FuzzCase(policy == "Internal" ? "auth wrong X-Api-Key" : "auth bearer junk", path, body, SurelyInvalid: true);
        if (policy != "Internal")
        {
            yield return new FuzzCase("auth bearer huge", path, body, SurelyInvalid: true);
        }
    }

    /// <summary>The authorization policy of each API route, as "METHOD /path/{template}", from the gateway's own endpoints.</summary>
    private static Dictionary<string, string?> Policies(GatewayFactory factory) =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal) && e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (
                Key: $"{m} {System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!, @"\{(\w+)(:[^}]*)?\}", "{$1}").TrimEnd('/')}",
                Policy: e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null))))
            .GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => g.First().Policy);

    private static string? ProblemType(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        var type = JsonNode.Parse(text)?["type"]?.GetValue<string>();
        return type is { Length: > 0 } && type.StartsWith("https://ozon-actors/errors/", StringComparison.Ordinal) ? type : null;
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static string Port() => GatewayProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The parties and the real ids the cases point at: a customer, a seller, a moderator, an order, a request, an invitation.</summary>
    private sealed class FuzzFixture
    {
        private readonly Dictionary<string, string> _ids = [];

        public required Tokens Customer { get; init; }

        public required Seller Seller { get; init; }

        public required Tokens Moderator { get; init; }

        public static async Task<FuzzFixture> CreateAsync(ApiClient api)
        {
            var customer = await api.LoginAsync(ApiClient.NewPhone());
            var seller = await api.NewSellerAsync();
            var moderator = await api.LoginAsync(GatewayFactory.ModeratorPhone);
            var orderId = await api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 5_000m, quantity: 3);
            var request = await api.CreateReturnAsync(customer, orderId);
            var invitation = await api.SendAsync(HttpMethod.Post, $"/api/companies/{seller.CompanyId}/invitations", seller.Tokens.AccessToken,
                new { email = $"invited-{Guid.NewGuid():N}@example.com", role = "Employee" }, HttpStatusCode.Created);
            var fixture = new FuzzFixture { Customer = customer, Seller = seller, Moderator = moderator };
            fixture._ids["id"] = request["id"]!.GetValue<string>();
            fixture._ids["orderId"] = orderId;
            fixture._ids["companyId"] = fixture._ids["sellerId"] = seller.CompanyId.ToString();
            fixture._ids["accountId"] = seller.AccountId.ToString();
            fixture._ids["customerId"] = fixture._ids["managerId"] = customer.OzonId.ToString();
            fixture._ids["token"] = invitation["token"]!.GetValue<string>();
            return fixture;
        }

        /// <summary>A real value for a path parameter or body field, by its name; a fresh plausible one otherwise.</summary>
        public string Value(string name) => _ids.TryGetValue(name, out var id) ? id : name switch
        {
            "email" or "directorEmail" => $"fuzz-{Guid.NewGuid():N}@example.com",
            "password" => "correct horse battery",
            "phone" => ApiClient.NewPhone(),
            "code" => "123456",
            "lineId" => "L1",
            "productId" => "P1",
            "photo" => "https://example.com/photo.jpg",
            "trackingNumber" => "RR123456785RU",
            "period" => "2026-11-1",
            _ when name.EndsWith("Id", StringComparison.Ordinal) => $"fuzz-{Guid.NewGuid():N}",
            _ => "Fuzz text",
        };

        public void Authorize(HttpRequestMessage request, string? policy)
        {
            switch (policy)
            {
                case "Internal":
                    request.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
                    break;
                case "Seller":
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Seller.Tokens.AccessToken);
                    break;
                case "Moderator":
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Moderator.AccessToken);
                    break;
                case "Customer" or "Person":
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Customer.AccessToken);
                    break;
                case null when request.RequestUri?.OriginalString.StartsWith("/api/auth/", StringComparison.Ordinal) == true:
                    // Logout and switch take a token without a named policy; the others here are anonymous.
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Customer.AccessToken);
                    break;
            }
        }
    }
}
