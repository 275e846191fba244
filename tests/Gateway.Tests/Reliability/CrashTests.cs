using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;
using Xunit.Abstractions;

namespace OzonActors.Gateway.Tests.Reliability;

/// <summary>
/// A co-hosted gateway on PostgreSQL killed with SIGKILL, again and again, in the middle of bursts of return requests,
/// seller sign-ups, invitation acceptances and referral withdrawals, and started again: every change it acknowledged with a
/// 2xx before a kill is there afterwards, and the stored state settles into its invariants: per order, returnable + held by
/// requests = delivered; every claimed seller email belongs to an account of an existing company.
/// </summary>
public sealed class CrashTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private const int Kills = 3;
    private const int Delivered = 1_000;
    private const long Credited = 1_000_000;

    /// <summary>How long the invariants may take to settle after the last restart (a hold of an unwritten request goes back after a minute).</summary>
    private static readonly TimeSpan SettleWithin = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task SIGKILL_during_bursts_loses_no_acknowledged_change_and_the_invariants_settle()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["OzonId:MaxSendsPerAddressPerHour"] = "100000",
            ["OzonId:PhoneCodeInterval"] = "00:00:00",
            ["Reminders:RetryPeriod"] = "00:00:01",
        });
        var api = new ApiClient(gateway.CreateClient());

        // The parties, before any fault: a customer with orders, a seller with invitations (each for its own invitee), a manager with points.
        var customer = await api.LoginAsync(ApiClient.NewPhone());
        var seller = await api.NewSellerAsync();
        var orders = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            orders.Add(await api.RecordOrderAsync(customer.OzonId, seller.CompanyId, price: 5_000m, quantity: Delivered));
        }

        var invitations = new ConcurrentQueue<(string Token, Tokens Invitee)>();
        for (var i = 0; i < 24; i++)
        {
            var created = await api.SendAsync(HttpMethod.Post, $"/api/companies/{seller.CompanyId}/invitations", seller.Tokens.AccessToken,
                new { email = $"invitee-{Guid.NewGuid():N}@example.com", role = "Employee" }, HttpStatusCode.Created);
            invitations.Enqueue((created["token"]!.GetValue<string>(), await api.LoginAsync(ApiClient.NewPhone())));
        }

        var signers = new[] { await api.LoginAsync(ApiClient.NewPhone()), await api.LoginAsync(ApiClient.NewPhone()) };
        using (var credit = new HttpRequestMessage(HttpMethod.Post, "/api/internal/referral/corrections")
        {
            Content = JsonContent.Create(new { managerId = customer.OzonId, correctionId = "crash-credit", points = Credited, note = "Credit for the crash test" }),
        })
        {
            credit.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
            using var credited = await api.Http.SendAsync(credit);
            Assert.Equal(HttpStatusCode.OK, credited.StatusCode);
        }

        var acknowledged = new Acknowledged();
        for (var kill = 0; kill < Kills; kill++)
        {
            using var client = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var bursts = new[]
            {
                BurstAsync(gateway, acknowledged, "return", async () =>
                {
                    var orderId = orders[Random.Shared.Next(orders.Count)];
                    using var response = await SendAsync(client, HttpMethod.Post, "/api/returns", customer.AccessToken, ReturnsApi.ReturnBody(orderId));
                    var body = await response.Content.ReadAsStringAsync();
                    return response.StatusCode == HttpStatusCode.Created
                        ? () => acknowledged.Returns.Add((orderId, JsonNode.Parse(body)!["id"]!.GetValue<Guid>()))
                        : null;
                }),
                BurstAsync(gateway, acknowledged, "sign-up", async () =>
                {
                    var email = $"signup-{Guid.NewGuid():N}@example.com";
                    using var response = await SendAsync(client, HttpMethod.Post, "/api/companies", signers[Random.Shared.Next(2)].AccessToken,
                        new { name = "Crash shop", directorEmail = email, password = "correct horse battery" });
                    var body = await response.Content.ReadAsStringAsync();
                    return response.StatusCode == HttpStatusCode.Created
                        ? () => acknowledged.SignUps.Add((email, JsonNode.Parse(body)!["companyId"]!.GetValue<Guid>(), JsonNode.Parse(body)!["accountId"]!.GetValue<Guid>()))
                        : null;
                }),
                BurstAsync(gateway, acknowledged, "acceptance", async () =>
                {
                    if (!invitations.TryDequeue(out var invitation))
                    {
                        await Task.Delay(50);
                        return null;
                    }

                    using var response = await SendAsync(client, HttpMethod.Post, $"/api/invitations/{invitation.Token}/accept", invitation.Invitee.AccessToken,
                        new { password = "correct horse battery" });
                    var body = await response.Content.ReadAsStringAsync();
                    return response.StatusCode == HttpStatusCode.OK
                        ? () => acknowledged.Acceptances.Add(JsonNode.Parse(body)!["accountId"]!.GetValue<Guid>())
                        : null;
                }),
                BurstAsync(gateway, acknowledged, "withdrawal", async () =>
                {
                    var requestId = $"w-{Guid.NewGuid():N}";
                    using var response = await SendAsync(client, HttpMethod.Post, "/api/referral/me/withdraw", customer.AccessToken, new { points = 1, requestId });
                    return response.StatusCode == HttpStatusCode.OK ? () => acknowledged.Withdrawals.Add(requestId) : null;
                }),
            };

            // Kill once every kind has been acknowledged in this burst (a loaded machine may take seconds for the first),
            // then a random moment later, so that each kill lands among requests of every kind.
            var start = acknowledged.Counts();
            for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60); )
            {
                var now = acknowledged.Counts();
                if (now[0] > start[0] && now[1] > start[1] && (now[2] > start[2] || invitations.IsEmpty) && now[3] > start[3])
                {
                    break;
                }

                await Task.Delay(100);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500 + Random.Shared.Next(1_500)));
            await gateway.KillAsync();
            await Task.WhenAll(bursts);
            await gateway.RestartAsync();
        }

        output.WriteLine($"{Kills} SIGKILLs; acknowledged: {acknowledged.Describe()}");
        Assert.All(new[] { acknowledged.Returns.Count, acknowledged.SignUps.Count, acknowledged.Acceptances.Count, acknowledged.Withdrawals.Count },
            count => Assert.True(count > 0, $"a burst acknowledged nothing: {acknowledged.Describe()}"));

        // (a) Every acknowledged change is there.
        var lost = new List<string>();
        foreach (var (_, id) in acknowledged.Returns)
        {
            using var response = await SendAsync(api.Http, HttpMethod.Get, $"/api/returns/{id}", customer.AccessToken, null);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                lost.Add($"return {id}: {(int)response.StatusCode}");
            }
        }

        foreach (var (email, companyId, accountId) in acknowledged.SignUps)
        {
            var owner = await ScalarAsync<string>("SELECT state->>'owner' FROM ozon.grain_state WHERE grain_type = 'email-index' AND grain_key = $1", email);
            var name = await ScalarAsync<string>("SELECT state->>'name' FROM ozon.grain_state WHERE grain_type = 'company' AND grain_key = $1", companyId.ToString());
            if (owner != accountId.ToString() || string.IsNullOrEmpty(name))
            {
                lost.Add($"sign-up {email}: email owner {owner ?? "none"}, company name '{name}'");
            }
        }

        var members = (await api.SendAsync(HttpMethod.Get, $"/api/companies/{seller.CompanyId}", seller.Tokens.AccessToken, null, HttpStatusCode.OK))["members"]!
            .AsArray().Select(m => m!["accountId"]!.GetValue<Guid>()).ToHashSet();
        lost.AddRange(acknowledged.Acceptances.Where(a => !members.Contains(a)).Select(a => $"accepted account {a} is not a member"));

        var ledger = (await api.SendAsync(HttpMethod.Get, "/api/referral/me/ledger", customer.AccessToken, null, HttpStatusCode.OK)).AsArray();
        var keys = ledger.Select(e => e!["key"]!.GetValue<string>()).ToHashSet();
        lost.AddRange(acknowledged.Withdrawals.Where(w => !keys.Contains($"withdrawn:{w}")).Select(w => $"withdrawal {w}"));
        var checkedCount = acknowledged.Returns.Count + acknowledged.SignUps.Count + acknowledged.Acceptances.Count + acknowledged.Withdrawals.Count;
        output.WriteLine($"acknowledged changes checked: {checkedCount}; lost: {lost.Count}");
        Assert.True(lost.Count == 0, "lost after SIGKILL:\n" + string.Join('\n', lost) + "\n" + gateway.Output[^Math.Min(gateway.Output.Length, 4_000)..]);

        // The balance is what was credited less every withdrawal the ledger holds, and the ledger sums to it.
        var balance = (await api.SendAsync(HttpMethod.Get, "/api/referral/me", customer.AccessToken, null, HttpStatusCode.OK))["balance"]!.GetValue<long>();
        Assert.Equal(balance, ledger.Sum(e => e!["balanceChange"]!.GetValue<long>()));
        Assert.Equal(Credited - ledger.Count(e => e!["kind"]!.GetValue<string>() == "Withdrawn"), balance);

        // (b) The invariants settle.
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> returnable, emails;
        TimeSpan? returnableSettled = null, emailsSettled = null;
        do
        {
            returnable = await ReturnableViolationsAsync(api, orders);
            emails = await EmailIndexViolationsAsync();
            returnableSettled ??= returnable.Count == 0 ? clock.Elapsed : null;
            emailsSettled ??= emails.Count == 0 ? clock.Elapsed : null;
            if (returnable.Count == 0 && emails.Count == 0)
            {
                break;
            }

            await Task.Delay(1_000);
        }
        while (clock.Elapsed < SettleWithin);

        output.WriteLine($"invariants checked for {clock.Elapsed.TotalSeconds:F0} s after the last restart: "
            + $"{returnable.Count} order(s) out of balance (settled: {Seconds(returnableSettled)}), "
            + $"{emails.Count} email(s) claimed by no account of an existing company (settled: {Seconds(emailsSettled)})");
        Assert.True(returnable.Count == 0, "returnable + held ≠ delivered:\n" + string.Join('\n', returnable));
        Assert.True(emails.Count == 0, "seller emails claimed by no account of an existing company:\n" + string.Join('\n', emails));
    }

    private static string Seconds(TimeSpan? at) => at is { } t ? $"after {t.TotalSeconds:F0} s" : "no";

    /// <summary>Orders whose returnable quantity plus the quantities held by their existing (New) requests is not what was delivered.</summary>
    private async Task<IReadOnlyList<string>> ReturnableViolationsAsync(ApiClient api, IEnumerable<string> orders)
    {
        var violations = new List<string>();
        foreach (var orderId in orders)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/internal/orders/{orderId}");
            request.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
            using var response = await api.Http.SendAsync(request);
            var order = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var returnable = order["lines"]![0]!["returnableQuantity"]!.GetValue<int>();
            var held = await ScalarAsync<long?>(
                "SELECT sum((state->>'quantity')::int) FROM ozon.grain_state WHERE grain_type = 'return-request' AND state->>'orderId' = $1", orderId) ?? 0;
            if (returnable + held != Delivered)
            {
                violations.Add($"{orderId}: returnable {returnable} + held {held} ≠ delivered {Delivered}");
            }
        }

        return violations;
    }

    /// <summary>Emails of the index whose owner is not a created account that is a member of an existing (named) company.</summary>
    private async Task<IReadOnlyList<string>> EmailIndexViolationsAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT e.grain_key || ' → account ' || (e.state->>'owner') || CASE WHEN a.grain_key IS NULL
                THEN ', which was never created' ELSE ' of company ' || (a.state->>'companyId') || ', which does not exist or lacks it' END
            FROM ozon.grain_state e
            LEFT JOIN ozon.grain_state a ON a.grain_type = 'seller-account' AND a.grain_key = e.state->>'owner' AND (a.state->>'created')::boolean
            LEFT JOIN ozon.grain_state c ON c.grain_type = 'company' AND c.grain_key = a.state->>'companyId' AND coalesce(c.state->>'name', '') <> ''
                AND EXISTS (SELECT 1 FROM jsonb_array_elements(c.state->'members') m WHERE m->>'accountId' = e.state->>'owner')
            WHERE e.grain_type = 'email-index' AND e.state->>'owner' IS NOT NULL AND c.grain_key IS NULL
            ORDER BY 1
            """, connection);
        var violations = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            violations.Add(reader.GetString(0));
        }

        return violations;
    }

    /// <summary>Sends one request of a burst after another until the process dies under it; counts what was in flight then.</summary>
    /// <summary>Takes <paramref name="step"/> again and again until the gateway is killed (a step may have nothing to send).</summary>
    private static async Task BurstAsync(GatewayProcess gateway, Acknowledged acknowledged, string kind, Func<Task<Action?>> step)
    {
        while (!gateway.HasExited)
        {
            try
            {
                (await step())?.Invoke();
                acknowledged.Answered(kind);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                acknowledged.InFlight(kind);
                return;
            }
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string token, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private async Task<T?> ScalarAsync<T>(string sql, string parameter)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter { Value = parameter } } };
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>What the bursts were told was done, and how many requests each had in flight when the process died.</summary>
    private sealed class Acknowledged
    {
        private readonly ConcurrentDictionary<string, int> _answered = new();
        private readonly ConcurrentDictionary<string, int> _inFlight = new();

        public ConcurrentBag<(string OrderId, Guid Id)> Returns { get; } = [];

        public ConcurrentBag<(string Email, Guid CompanyId, Guid AccountId)> SignUps { get; } = [];

        public ConcurrentBag<Guid> Acceptances { get; } = [];

        public ConcurrentBag<string> Withdrawals { get; } = [];

        public int[] Counts() => [Returns.Count, SignUps.Count, Acceptances.Count, Withdrawals.Count];

        public void Answered(string kind) => _answered.AddOrUpdate(kind, 1, (_, n) => n + 1);

        public void InFlight(string kind) => _inFlight.AddOrUpdate(kind, 1, (_, n) => n + 1);

        public string Describe() =>
            $"{Returns.Count} returns, {SignUps.Count} sign-ups, {Acceptances.Count} acceptances, {Withdrawals.Count} withdrawals; "
            + $"answered {string.Join(", ", _answered.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}; "
            + $"in flight at a kill {string.Join(", ", _inFlight.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}";
    }
}
