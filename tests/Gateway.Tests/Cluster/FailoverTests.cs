using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Live;
using OzonActors.Gateway.Tests.Support;
using Xunit.Abstractions;

namespace OzonActors.Gateway.Tests.Cluster;

/// <summary>
/// Two silos and two client gateways as real processes: any gateway serves any request, a silo killed with SIGKILL loses
/// nothing acknowledged and its deadlines still fire, a client of a killed gateway resumes on the other, and a rolling
/// restart answers no client with a 5xx other than a retryable 503.
/// </summary>
public sealed class FailoverTests(ScaledCluster cluster, ITestOutputHelper output) : IClassFixture<ScaledCluster>
{
    [Fact]
    public async Task A_return_request_created_through_one_client_gateway_is_acted_on_through_the_other()
    {
        var first = cluster.Api(0);
        var second = cluster.Api(1);
        var customer = await first.LoginAsync(ApiClient.NewPhone());
        var seller = await second.NewSellerAsync();
        var orderId = await first.RecordOrderAsync(customer.OzonId, seller.CompanyId);

        var request = await first.CreateReturnAsync(customer, orderId);
        Assert.Equal("Approved", (await second.ActAsync(seller.Tokens.AccessToken, request, "approve", HttpStatusCode.OK)).Status());
        Assert.Equal("ReturnOnTheWay", (await first.ActAsync(customer.AccessToken, request, "ship", HttpStatusCode.OK,
            new { trackingNumber = "RR123456785RU" })).Status());
        Assert.Equal("ReceivedBySeller", (await second.ActAsync(seller.Tokens.AccessToken, request, "received", HttpStatusCode.OK)).Status());

        // The login code of a phone sent through one gateway is in the Development outbox read through the other.
        var phone = ApiClient.NewPhone();
        await second.RequestCodeAsync(phone);
        Assert.Matches("^[0-9]{6}$", await first.ReadCodeAsync(phone));
    }

    [Fact]
    public async Task Code_quotas_and_wrong_code_limits_hold_across_gateways_not_per_process()
    {
        // Ten codes an hour per phone (OzonId:MaxSendsPerPhonePerHour), asked for through both gateways in turn.
        var phone = ApiClient.NewPhone();
        for (var i = 0; i < 10; i++)
        {
            await cluster.Api(i % 2).RequestCodeAsync(phone);
        }

        using (var eleventh = await cluster.Api(0).Http.PostAsJsonAsync("/api/auth/code", new { phone, channel = "Sms" }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
            Assert.Contains("too-many-codes", await eleventh.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Five wrong codes (OzonId:MaxWrongAttempts), spread over both gateways, spend the challenge: the right code then fails too.
        var other = ApiClient.NewPhone();
        var challenge = (await cluster.Api(0).RequestCodeAsync(other))["challengeId"]!.GetValue<Guid>();
        var code = await cluster.Api(1).ReadCodeAsync(other);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            using var refused = await cluster.Api(i % 2).PostLoginAsync(challenge, wrong, null);
            Assert.False(refused.IsSuccessStatusCode);
        }

        using var late = await cluster.Api(1).PostLoginAsync(challenge, code, null);
        Assert.False(late.IsSuccessStatusCode, "the right code after the wrong-attempt limit was spent across gateways");
    }

    [Fact]
    public async Task A_silo_killed_mid_traffic_loses_no_acknowledged_change_and_its_deadlines_fire()
    {
        var api = cluster.Api(0);
        var customer = await api.LoginAsync(ApiClient.NewPhone());
        var seller = await cluster.Api(1).NewSellerAsync();
        await using var live = await NodeClient.StartAsync(cluster.Gateways[1].BaseAddress, seller.Tokens.AccessToken, "--timeout", "240000");
        await live.ReadyAsync();

        // Twenty requests spread over both silos; their New deadline falls due after the kill.
        var before = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            var orderId = await api.RecordOrderAsync(customer.OzonId, seller.CompanyId);
            before.Add((await api.CreateReturnAsync(customer, orderId))["id"]!.GetValue<Guid>());
        }

        // Traffic through both gateways while a silo dies: every 201 is an acknowledged request that must survive.
        var load = new ReturnsLoad(cluster, customer, seller);
        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(load.RunAsync(0, stop.Token), load.RunAsync(1, stop.Token));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var killedAt = DateTimeOffset.UtcNow;
        await cluster.Silos[0].KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        await stop.CancelAsync();
        await traffic;
        output.WriteLine(load.Describe());
        load.AssertOnlyRetryable503s();
        Assert.NotEmpty(load.Created);

        // Every request answers again, through either gateway, and every New deadline fired (after the kill) on the survivor.
        var deadline = Stopwatch.StartNew();
        foreach (var id in before.Concat(load.Created))
        {
            foreach (var gateway in new[] { 0, 1 })
            {
                var status = await WaitForStatusAsync(cluster.Api(gateway), customer, id, "Approved", TimeSpan.FromSeconds(90) - deadline.Elapsed);
                Assert.True(status == "Approved", $"request {id} is {status} through gateway {gateway + 1}\n{cluster.Describe()}");
            }
        }

        // The seller's page on the other gateway saw each of the twenty approved, once.
        foreach (var id in before)
        {
            await live.WaitForAsync(l => NodeClient.IsReturnStatusChange(l, id, "Approved"), TimeSpan.FromSeconds(30), $"the Approved event of {id}");
        }

        var approvals = live.Applied.Select(NodeClient.Event).Where(e => e["type"]!.GetValue<string>() == "ReturnStatusChanged"
            && e["data"]!["request"]!["status"]!.GetValue<string>() == "Approved").Select(e => e["stream"]!.GetValue<string>()).ToList();
        Assert.Equal(approvals.Count, approvals.Distinct().Count());
        output.WriteLine($"killed at {killedAt:O}; all {before.Count + load.Created.Count} requests Approved {deadline.Elapsed.TotalSeconds:F1} s after the check began");

        await cluster.Silos[0].RestartAsync();
    }

    [Fact]
    public async Task A_client_of_a_killed_gateway_resumes_on_the_other_and_gets_every_missed_event_once_in_order()
    {
        var first = cluster.Api(0);
        var second = cluster.Api(1);
        var seller = await second.NewSellerAsync();

        // Connected to the first gateway, the client applies three events; then that gateway is killed under it.
        string lastPosition;
        await using (var before = await NodeClient.StartAsync(cluster.Gateways[0].BaseAddress, seller.Tokens.AccessToken,
            "--expect", "3", "--timeout", "60000"))
        {
            await before.ReadyAsync();
            for (var i = 0; i < 3; i++)
            {
                await InviteAsync(first, seller, $"seen-{i}-{Guid.NewGuid():N}@example.com");
            }

            var done = await before.FinishedAsync(TimeSpan.FromSeconds(30));
            Assert.True(NodeClient.Kind(done) == "done", before.Describe());
            lastPosition = done["lastApplied"]!.GetValue<string>();
            await cluster.Gateways[0].KillAsync();
        }

        try
        {
            var missed = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                var email = $"missed-{i:D2}-{Guid.NewGuid():N}@example.com";
                await InviteAsync(second, seller, email);
                missed.Add(email);
            }

            await using var after = await NodeClient.StartAsync(cluster.Gateways[1].BaseAddress, seller.Tokens.AccessToken,
                "--resume", lastPosition, "--expect", "20", "--linger", "1000", "--timeout", "60000");
            var finished = await after.FinishedAsync(TimeSpan.FromSeconds(60));
            Assert.True(NodeClient.Kind(finished) == "done", after.Describe());

            var applied = after.Applied;
            Assert.Equal(missed, applied.Select(l => NodeClient.Event(l)["data"]!["email"]!.GetValue<string>()));
            var positions = applied.Select(l => NodeClient.Event(l)["position"]!.GetValue<string>()).ToList();
            Assert.All(positions, p => Assert.True(string.CompareOrdinal(p, lastPosition) > 0, $"{p} is not after {lastPosition}"));
            Assert.True(positions.Zip(positions.Skip(1)).All(p => string.CompareOrdinal(p.First, p.Second) < 0), "positions increase");
            Assert.Equal(applied.Count, after.Lines.Count(l => NodeClient.Kind(l) == "event"));
        }
        finally
        {
            await cluster.Gateways[0].RestartAsync();
        }
    }

    [Fact]
    public async Task A_rolling_restart_under_load_loses_no_acknowledged_change_and_answers_only_retryable_503s()
    {
        var api = cluster.Api(0);
        var customer = await api.LoginAsync(ApiClient.NewPhone());
        var seller = await cluster.Api(1).NewSellerAsync();
        var load = new ReturnsLoad(cluster, customer, seller, approve: true);
        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(load.RunAsync(0, stop.Token), load.RunAsync(1, stop.Token));

        // Each silo in turn: SIGTERM (it hands its grains over and leaves), then start it again and wait until it is Active.
        foreach (var silo in cluster.Silos)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await silo.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            await silo.RestartAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await traffic;
        output.WriteLine(load.Describe());
        load.AssertOnlyRetryable503s();
        Assert.NotEmpty(load.Approved);

        foreach (var id in load.Created)
        {
            var request = await api.SendAsync(HttpMethod.Get, $"/api/returns/{id}", customer.AccessToken, null, HttpStatusCode.OK);
            if (load.Approved.Contains(id))
            {
                Assert.Equal("Approved", request.Status());
            }
        }
    }

    private static async Task InviteAsync(ApiClient api, Seller seller, string email) =>
        await api.SendAsync(HttpMethod.Post, $"/api/companies/{seller.CompanyId}/invitations", seller.Tokens.AccessToken,
            new { email, role = "Employee" }, HttpStatusCode.Created);

    private static async Task<string?> WaitForStatusAsync(ApiClient api, Tokens customer, Guid id, string expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string? status = null;
        do
        {
            using var response = await api.SendRawAsync(HttpMethod.Get, $"/api/returns/{id}", customer.AccessToken, null);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.Status();
                if (status == expected)
                {
                    return status;
                }
            }
            else
            {
                status = $"HTTP {(int)response.StatusCode}";
            }

            await Task.Delay(250);
        }
        while (clock.Elapsed < timeout);

        return status;
    }

    /// <summary>
    /// A steady stream of return actions through one gateway: record an order, create a request, optionally approve it.
    /// It keeps what was acknowledged and every answer that was not 2xx.
    /// </summary>
    private sealed class ReturnsLoad(ScaledCluster cluster, Tokens customer, Seller seller, bool approve = false)
    {
        private readonly ConcurrentBag<Guid> _created = [];
        private readonly ConcurrentBag<Guid> _approved = [];
        private readonly ConcurrentBag<string> _failures = [];
        private int _answers;

        public IReadOnlyCollection<Guid> Created => _created.ToList();

        public IReadOnlyCollection<Guid> Approved => _approved.ToHashSet();

        public async Task RunAsync(int gateway, CancellationToken stop)
        {
            var api = cluster.Api(gateway);
            while (!stop.IsCancellationRequested)
            {
                var orderId = $"ord-{Guid.NewGuid():N}";
                if (await SendAsync(api, HttpMethod.Post, "/api/internal/orders", null, ReturnsApi.OrderBody(orderId, customer.OzonId, seller.CompanyId)) is null)
                {
                    continue;
                }

                var created = await SendAsync(api, HttpMethod.Post, "/api/returns", customer.AccessToken, ReturnsApi.ReturnBody(orderId));
                if (created is not JsonNode request)
                {
                    continue;
                }

                var id = request["id"]!.GetValue<Guid>();
                _created.Add(id);
                if (approve && await SendAsync(api, HttpMethod.Post, $"/api/returns/{id}/approve", seller.Tokens.AccessToken, new { }) is not null)
                {
                    _approved.Add(id);
                }
            }
        }

        /// <summary>Every answer that was not a success was a 503 with Retry-After and a problem type, never a 500 or a bare 5xx.</summary>
        public void AssertOnlyRetryable503s() =>
            Assert.All(_failures, f => Assert.Matches("^503 Retry-After (cluster-unavailable|timeout|outcome-unknown) ", f));

        public string Describe() =>
            $"{_answers} answers, {_created.Count} requests created, {_approved.Count} approved; failures: "
            + string.Join("; ", _failures.GroupBy(f => f).Select(g => $"{g.Count()} × {g.Key}"));

        private async Task<JsonNode?> SendAsync(ApiClient api, HttpMethod method, string path, string? token, object body)
        {
            using var request = new HttpRequestMessage(method, path) { Content = System.Net.Http.Json.JsonContent.Create(body) };
            if (token is null)
            {
                request.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
            }
            else
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await api.Http.SendAsync(request);
            Interlocked.Increment(ref _answers);
            var text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                return text.Length > 0 ? JsonNode.Parse(text) : new JsonObject();
            }

            var type = text.Length > 0 ? JsonNode.Parse(text)?["type"]?.GetValue<string>()?.Split('/')[^1] : null;
            var retryAfter = response.Headers.RetryAfter is null ? "no Retry-After" : "Retry-After";
            _failures.Add($"{(int)response.StatusCode} {retryAfter} {type} on {method} {path.Split('/')[^1]}");
            return null;
        }
    }
}
