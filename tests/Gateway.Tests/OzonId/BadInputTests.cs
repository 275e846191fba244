using System.Net;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests.OzonId;

/// <summary>Every endpoint that takes a body answers bad bodies with 400 ProblemDetails and changes nothing.</summary>
public sealed class BadInputTests : IClassFixture<BadInputTests.World>
{
    private readonly World _world;

    public BadInputTests(World world) => _world = world;

    public enum Caller
    {
        Nobody,
        Customer,
        Seller,
    }

    /// <summary>Each endpoint with a valid body; the test breaks it in every way it can.</summary>
    public static TheoryData<string, string, Caller, string> Endpoints() => new()
    {
        { "POST", "/api/auth/code", Caller.Nobody, """{"phone":"+7 999 555-00-00","channel":"Sms"}""" },
        { "POST", "/api/auth/code/resend", Caller.Nobody, """{"challengeId":"6d4d2d5e-8d8c-4a57-9d7e-3a1c1d3e0a11"}""" },
        { "POST", "/api/auth/login", Caller.Nobody, """{"challengeId":"6d4d2d5e-8d8c-4a57-9d7e-3a1c1d3e0a11","code":"123456","deviceId":"device-0123456789abcdef"}""" },
        { "POST", "/api/auth/password", Caller.Nobody, """{"email":"a@example.com","password":"password1","deviceId":"device-0123456789abcdef"}""" },
        { "POST", "/api/auth/refresh", Caller.Nobody, """{"refreshToken":"abc.def"}""" },
        { "POST", "/api/auth/switch", Caller.Customer, """{"companyId":"6d4d2d5e-8d8c-4a57-9d7e-3a1c1d3e0a11"}""" },
        { "POST", "/api/companies", Caller.Customer, """{"name":"Shop","directorEmail":"new@example.com","password":"password1"}""" },
        { "POST", "/api/me/companies/link", Caller.Customer, """{"email":"a@example.com","password":"password1"}""" },
        { "POST", "/api/me/phone/change/confirm-current", Caller.Customer, """{"code":"123456"}""" },
        { "POST", "/api/me/phone/change/new", Caller.Customer, """{"phone":"+7 999 555-00-01","channel":"Sms"}""" },
        { "POST", "/api/me/phone/change/confirm-new", Caller.Customer, """{"code":"123456"}""" },
        { "POST", "/api/companies/{company}/invitations", Caller.Seller, """{"email":"b@example.com","role":"Employee"}""" },
        { "POST", "/api/invitations/some-token/accept", Caller.Customer, """{"password":"password1"}""" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Malformed_missing_overlong_and_mistyped_bodies_are_400_problem_details_and_change_nothing(
        string method, string path, Caller caller, string validBody)
    {
        var before = await _world.SnapshotAsync();
        var valid = JsonNode.Parse(validBody)!.AsObject();
        var bad = new List<(string Why, string Body)>
        {
            ("malformed", validBody[..^3]),
            ("not an object", "[1,2]"),
            ("empty", "{}"),
            ("null", "null"),
        };
        foreach (var (name, value) in valid)
        {
            bad.Add(($"{name} missing", Without(valid, name).ToJsonString()));
            bad.Add(($"{name} over-long", With(valid, name, JsonValue.Create(new string('9', 5_000))).ToJsonString()));
            bad.Add(($"{name} wrong type", With(valid, name, value!.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? JsonValue.Create(12345) : JsonValue.Create("twelve")).ToJsonString()));
            bad.Add(($"{name} an object", With(valid, name, new JsonObject { ["x"] = 1 }).ToJsonString()));
        }

        foreach (var (why, body) in bad.Where(b => !IsOptional(path, b.Why)))
        {
            using var response = await _world.Api.SendRawAsync(
                new HttpMethod(method), path.Replace("{company}", _world.Seller.CompanyId.ToString(), StringComparison.Ordinal),
                _world.TokenFor(caller), body);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
                $"{method} {path} with {why} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.StartsWith("https://ozon-actors/errors/", problem["type"]!.GetValue<string>());
        }

        Assert.Equal(before, await _world.SnapshotAsync());
    }

    /// <summary>A device id may be left out at login (a new one is made), and a channel for a new phone (SMS).</summary>
    private static bool IsOptional(string path, string why) =>
        (path, why) is ("/api/auth/login", "deviceId missing") or ("/api/me/phone/change/new", "channel missing");

    private static JsonObject Without(JsonObject source, string name)
    {
        var copy = source.DeepClone().AsObject();
        copy.Remove(name);
        return copy;
    }

    private static JsonObject With(JsonObject source, string name, JsonNode value)
    {
        var copy = source.DeepClone().AsObject();
        copy[name] = value;
        return copy;
    }

    /// <summary>One gateway with a seller and a customer whose observable state must not move.</summary>
    public sealed class World : IAsyncLifetime
    {
        private readonly GatewayFactory _factory = new();

        public ApiClient Api { get; private set; } = null!;

        public Seller Seller { get; private set; } = null!;

        public Tokens Customer { get; private set; } = null!;

        public string? TokenFor(Caller caller) => caller switch
        {
            Caller.Customer => Customer.AccessToken,
            Caller.Seller => Seller.Tokens.AccessToken,
            _ => null,
        };

        public async Task<string> SnapshotAsync()
        {
            var me = await Api.SendAsync(HttpMethod.Get, "/api/me", Customer.AccessToken, null, HttpStatusCode.OK);
            var company = await Api.SendAsync(HttpMethod.Get, $"/api/companies/{Seller.CompanyId}", Seller.Tokens.AccessToken, null, HttpStatusCode.OK);
            var sms = await Api.Http.GetStringAsync(new Uri("/api/dev/sms?phone=79995550000", UriKind.Relative));
            return $"{me.ToJsonString()}|{company.ToJsonString()}|{sms}";
        }

        public async Task InitializeAsync()
        {
            Api = _factory.CreateApi();
            Seller = await Api.NewSellerAsync();
            Customer = await Api.LoginAsync(ApiClient.NewPhone());
        }

        public Task DisposeAsync()
        {
            _factory.Dispose();
            return Task.CompletedTask;
        }
    }
}
