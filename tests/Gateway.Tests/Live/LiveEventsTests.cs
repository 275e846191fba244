using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests.Live;

/// <summary>
/// Live events end to end: real gateway processes on PostgreSQL, the real <c>@microsoft/signalr</c> client in Node,
/// events committed by grains through the public API (an invitation commits <c>InvitationCreated</c> to
/// <c>seller:{companyId}</c>; a phone change commits <c>PhoneChanged</c> to <c>customer:{ozonId}</c>).
/// </summary>
public sealed class LiveEventsTests(LiveGateways gateways, ITestOutputHelper output) : IClassFixture<LiveGateways>
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_event_committed_by_a_grain_reaches_the_companys_client_live()
    {
        var api = gateways.Api(gateways.First);
        var seller = await api.NewSellerAsync();
        await using var client = await NodeClient.StartAsync(gateways.First.BaseAddress, seller.Tokens.AccessToken, "--timeout", "60000");
        await client.ReadyAsync();

        for (var i = 0; i < 5; i++)
        {
            var email = $"employee-{i}-{Guid.NewGuid():N}@example.com";
            await InviteAsync(api, seller, email);
            var line = await client.WaitForAsync(l => EmailOf(l) == email, EventTimeout, $"the event inviting {email}");

            // How fast is the benchmark's business (bench/), not a test's: here only that it came, pushed, intact.
            Assert.Equal("live", line["via"]!.GetValue<string>());
            var received = NodeClient.Event(line);
            Assert.Equal($"company:{seller.CompanyId}", received["stream"]!.GetValue<string>());
            Assert.Equal("InvitationCreated", received["type"]!.GetValue<string>());
            Assert.Matches("^[0-9a-f]{16}-[0-9a-f]{16}$", received["position"]!.GetValue<string>());
            Assert.True(DateTimeOffset.TryParse(received["at"]!.GetValue<string>(), out _), "at is an ISO timestamp");
            Assert.IsType<JsonObject>(received["data"]);
            Assert.Equal("Employee", received["data"]!["role"]!.GetValue<string>());
        }

        Assert.Equal(5, client.Applied.Count);
    }

    [Fact]
    public async Task A_client_never_receives_events_of_another_company_or_of_another_ozon_id()
    {
        var api = gateways.Api(gateways.First);
        var sellerA = await api.NewSellerAsync();
        var sellerB = await api.NewSellerAsync();
        var customerPhone = ApiClient.NewPhone();
        var customer = await api.LoginAsync(customerPhone);
        const int PerCompany = 20;

        // Clients on both gateways: the audience filter must hold wherever the client is connected.
        await using var clientA = await NodeClient.StartAsync(gateways.First.BaseAddress, sellerA.Tokens.AccessToken,
            "--expect", $"{PerCompany + 1}", "--timeout", "60000");
        await using var clientB = await NodeClient.StartAsync(gateways.Second.BaseAddress, sellerB.Tokens.AccessToken,
            "--expect", $"{PerCompany + 1}", "--timeout", "60000");

        // The director of A without a company scope: a customer token, which must not see A's seller events.
        var directorToken = (await api.LoginAsync(sellerA.Phone, sellerA.Tokens.DeviceId)).AccessToken;
        await using var directorA = await NodeClient.StartAsync(gateways.Second.BaseAddress, directorToken,
            "--expect", "1", "--timeout", "60000");
        await using var customerClient = await NodeClient.StartAsync(gateways.First.BaseAddress, customer.AccessToken,
            "--expect", "1", "--timeout", "60000");
        await Task.WhenAll(clientA.ReadyAsync(), clientB.ReadyAsync(), directorA.ReadyAsync(), customerClient.ReadyAsync());

        // Both companies produce events at the same time, each through its own gateway (grains have no placement
        // across gateways yet, so one company's writes stay on one process).
        await Task.WhenAll(
            InviteManyAsync(gateways.Api(gateways.First), sellerA, "a", PerCompany),
            InviteManyAsync(gateways.Api(gateways.Second), sellerB, "b", PerCompany));

        // Each client's last expected event is committed after every other event, so a stray one would come before it.
        await ChangePhoneAsync(api, customer.AccessToken, customerPhone);
        await ChangePhoneAsync(api, directorToken, sellerA.Phone);
        await InviteAsync(gateways.Api(gateways.First), sellerA, $"last-a-{Guid.NewGuid():N}@example.com");
        await InviteAsync(gateways.Api(gateways.Second), sellerB, $"last-b-{Guid.NewGuid():N}@example.com");

        foreach (var (client, stream, count) in new[]
        {
            (clientA, $"company:{sellerA.CompanyId}", PerCompany + 1),
            (clientB, $"company:{sellerB.CompanyId}", PerCompany + 1),
            (customerClient, $"ozon-id:{customer.OzonId}", 1),
            (directorA, $"ozon-id:{sellerA.Tokens.OzonId}", 1),
        })
        {
            var done = await client.FinishedAsync(TimeSpan.FromSeconds(60));
            Assert.True(NodeClient.Kind(done) == "done", client.Describe());
            var streams = client.Lines.Where(l => NodeClient.Kind(l) == "event")
                .Select(l => NodeClient.Event(l)["stream"]!.GetValue<string>()).ToList();
            Assert.Equal(count, streams.Count);
            Assert.All(streams, s => Assert.Equal(stream, s));
        }
    }

    [Fact]
    public async Task A_client_that_misses_100_events_resumes_on_another_gateway_and_gets_each_once_in_order()
    {
        var first = gateways.Api(gateways.First);
        var seller = await first.NewSellerAsync();

        // Connected to the first gateway, the client applies three events, then goes away.
        string lastPosition;
        await using (var before = await NodeClient.StartAsync(gateways.First.BaseAddress, seller.Tokens.AccessToken,
            "--expect", "3", "--timeout", "60000"))
        {
            await before.ReadyAsync();
            for (var i = 0; i < 3; i++)
            {
                await InviteAsync(first, seller, $"seen-{i}-{Guid.NewGuid():N}@example.com");
            }

            var done = await before.FinishedAsync(EventTimeout);
            Assert.True(NodeClient.Kind(done) == "done", before.Describe());
            lastPosition = done["lastApplied"]!.GetValue<string>();
        }

        var missed = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var email = $"missed-{i:D3}-{Guid.NewGuid():N}@example.com";
            await InviteAsync(first, seller, email);
            missed.Add(email);
        }

        // It comes back on the second gateway and resumes after the last position it applied; it lingers to show
        // that nothing arrives twice.
        await using var after = await NodeClient.StartAsync(gateways.Second.BaseAddress, seller.Tokens.AccessToken,
            "--resume", lastPosition, "--expect", "100", "--linger", "500", "--timeout", "60000");
        var finished = await after.FinishedAsync(TimeSpan.FromSeconds(60));
        Assert.True(NodeClient.Kind(finished) == "done", after.Describe());
        Assert.Equal(100, finished["applied"]!.GetValue<int>());

        var applied = after.Applied;
        Assert.Equal(missed, applied.Select(EmailOf));
        var positions = applied.Select(l => NodeClient.Event(l)["position"]!.GetValue<string>()).ToList();
        Assert.All(positions, p => Assert.True(string.CompareOrdinal(p, lastPosition) > 0, $"{p} is not after {lastPosition}"));
        Assert.True(positions.Zip(positions.Skip(1)).All(p => string.CompareOrdinal(p.First, p.Second) < 0), "positions increase");

        var replayed = after.Lines.Where(l => NodeClient.Kind(l) == "event" && l["via"]!.GetValue<string>() == "resume").ToList();
        output.WriteLine($"{replayed.Count} events came from Resume, {applied.Count - replayed.Count} live");
        Assert.NotEmpty(replayed);
        Assert.Equal(replayed.Count, replayed.Select(l => NodeClient.Event(l)["position"]!.GetValue<string>()).Distinct().Count());
        Assert.All(replayed, l => Assert.True(l["applied"]!.GetValue<bool>(), "Resume returned only events after the given position"));
    }

    [Fact]
    public async Task Events_committed_while_a_client_resumes_arrive_once_each_in_order()
    {
        var first = gateways.Api(gateways.First);
        var seller = await first.NewSellerAsync();
        var emails = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            emails.Add($"before-{i:D3}-{Guid.NewGuid():N}@example.com");
            await InviteAsync(first, seller, emails[^1]);
        }

        // Commits go on while the client connects and resumes, so some events may be both replayed and pushed: the
        // client contract (buffer while resuming, skip positions already applied) must leave each exactly once.
        await using var client = await NodeClient.StartAsync(gateways.Second.BaseAddress, seller.Tokens.AccessToken,
            "--resume", "null", "--expect", "100", "--linger", "500", "--timeout", "60000");
        for (var i = 0; i < 60; i++)
        {
            emails.Add($"during-{i:D3}-{Guid.NewGuid():N}@example.com");
            await InviteAsync(first, seller, emails[^1]);
        }

        var finished = await client.FinishedAsync(TimeSpan.FromSeconds(60));
        Assert.True(NodeClient.Kind(finished) == "done", client.Describe());
        Assert.Equal(100, finished["applied"]!.GetValue<int>());
        Assert.Equal(emails, client.Applied.Select(EmailOf));

        // Whether replay and push overlapped depends on timing, so it is not asserted; what must hold either way: each
        // position was applied once, and every event the client skipped is a copy of one it applied, never another.
        var lines = client.Lines.Where(l => NodeClient.Kind(l) == "event").ToList();
        var appliedPositions = client.Applied.Select(l => NodeClient.Event(l)["position"]!.GetValue<string>()).ToList();
        Assert.Equal(appliedPositions.Count, appliedPositions.Distinct().Count());
        var skipped = lines.Where(l => !l["applied"]!.GetValue<bool>()).Select(l => NodeClient.Event(l)["position"]!.GetValue<string>()).ToList();
        Assert.All(skipped, p => Assert.Contains(p, appliedPositions));
    }

    [Fact]
    public async Task Resume_refuses_a_malformed_position_with_a_clear_message()
    {
        var seller = await gateways.Api(gateways.First).NewSellerAsync();
        await using var client = await NodeClient.StartAsync(gateways.First.BaseAddress, seller.Tokens.AccessToken,
            "--resume", "yesterday", "--timeout", "30000");

        var finished = await client.FinishedAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("error", NodeClient.Kind(finished));
        Assert.Contains("not an event position", finished["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    public async Task The_hub_refuses_a_connection_without_a_valid_token(string? token)
    {
        using var http = gateways.First.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/events/negotiate?negotiateVersion=1");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task InviteAsync(ApiClient api, Seller seller, string email) =>
        await api.SendAsync(HttpMethod.Post, $"/api/companies/{seller.CompanyId}/invitations", seller.Tokens.AccessToken,
            new { email, role = "Employee" }, HttpStatusCode.Created);

    private static async Task InviteManyAsync(ApiClient api, Seller seller, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await InviteAsync(api, seller, $"{prefix}-{i}-{Guid.NewGuid():N}@example.com");
        }
    }

    /// <summary>The whole phone change, which commits <c>PhoneChanged</c> to <c>customer:{ozonId}</c>.</summary>
    private static async Task ChangePhoneAsync(ApiClient api, string accessToken, string currentPhone)
    {
        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change", accessToken, new { }, HttpStatusCode.Accepted);
        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change/confirm-current", accessToken,
            new { code = await api.ReadCodeAsync(currentPhone) }, HttpStatusCode.NoContent);
        var newPhone = ApiClient.NewPhone();
        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change/new", accessToken, new { phone = newPhone }, HttpStatusCode.Accepted);
        await api.SendAsync(HttpMethod.Post, "/api/me/phone/change/confirm-new", accessToken,
            new { code = await api.ReadCodeAsync(newPhone) }, HttpStatusCode.OK);
    }

    private static string? EmailOf(JsonObject line) =>
        NodeClient.Kind(line) == "event" ? NodeClient.Event(line)["data"]?["email"]?.GetValue<string>() : null;
}
