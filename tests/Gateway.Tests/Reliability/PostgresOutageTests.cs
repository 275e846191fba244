using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;
using Xunit.Abstractions;

namespace OzonActors.Gateway.Tests.Reliability;

/// <summary>
/// PostgreSQL stopped for ten seconds under steady reads and writes: the gateway answers a retryable 503 with Retry-After
/// (never a 500, never a hang past the client's timeout), comes back by itself once the database is up again, and every
/// write it acknowledged is there afterwards.
/// </summary>
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RecoverWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PostgreSQL_down_for_ten_seconds_gives_only_retryable_503s_then_recovers_with_every_acknowledged_write()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres.ConnectionString,
            ["OzonId:MaxSendsPerAddressPerHour"] = "100000",
        });
        var api = new ApiClient(gateway.CreateClient());
        var customer = await api.LoginAsync(ApiClient.NewPhone());
        var seller = await api.NewSellerAsync();
        var first = await api.CreateReturnAsync(customer, await api.RecordOrderAsync(customer.OzonId, seller.CompanyId));
        var load = new Load(gateway.BaseAddress, customer, seller.CompanyId, first["id"]!.GetValue<Guid>(), ClientTimeout);

        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(load.WriteAsync(stop.Token), load.WriteAsync(stop.Token), load.ReadAsync(stop.Token));
        await Task.Delay(TimeSpan.FromSeconds(3));

        load.Phase = "outage";
        await postgres.StopAsync();
        await Task.Delay(Outage);
        await postgres.StartAgainAsync();
        load.Phase = "after";

        // Recovery by itself: a write is acknowledged again, without restarting the gateway.
        var clock = Stopwatch.StartNew();
        while (load.WritesAcknowledgedAfter == 0 && clock.Elapsed < RecoverWithin)
        {
            await Task.Delay(250);
        }

        var recoveredIn = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await traffic;

        output.WriteLine($"recovered {recoveredIn.TotalSeconds:F1} s after PostgreSQL started again; answers: {load.Describe()}");
        Assert.True(load.WritesAcknowledgedAfter > 0, $"no write acknowledged within {RecoverWithin.TotalSeconds} s of PostgreSQL starting again: {load.Describe()}\n{gateway.Output}");
        Assert.True(load.Count("outage", "503 Retry-After") > 0, $"the outage was never felt: {load.Describe()}");
        Assert.True(load.Unexpected.IsEmpty, "answers other than 2xx or a 503 with Retry-After:\n" + string.Join('\n', load.Unexpected.Take(20)));

        // Every acknowledged write is there.
        var lost = new List<string>();
        foreach (var orderId in load.Orders)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/internal/orders/{orderId}");
            request.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
            using var response = await api.Http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                lost.Add($"order {orderId}: {(int)response.StatusCode}");
            }
        }

        foreach (var id in load.Returns)
        {
            using var response = await api.SendRawAsync(HttpMethod.Get, $"/api/returns/{id}", customer.AccessToken, null);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                lost.Add($"return {id}: {(int)response.StatusCode}");
            }
        }

        output.WriteLine($"acknowledged writes checked: {load.Orders.Count + load.Returns.Count}; lost: {lost.Count}");
        Assert.True(lost.Count == 0, "acknowledged, then lost:\n" + string.Join('\n', lost));
    }

    /// <summary>Steady traffic: writers record an order and create a return for it; a reader reads a request and the customer's list.</summary>
    private sealed class Load(Uri baseAddress, Tokens customer, Guid sellerId, Guid known, TimeSpan timeout)
    {
        private readonly ConcurrentDictionary<string, int> _answers = new();
        private int _writesAfter;

        /// <summary>"before", "outage" (from the stop until PostgreSQL runs again) or "after".</summary>
        public volatile string Phase = "before";

        public ConcurrentBag<string> Orders { get; } = [];

        public ConcurrentBag<Guid> Returns { get; } = [];

        public ConcurrentBag<string> Unexpected { get; } = [];

        public int WritesAcknowledgedAfter => Volatile.Read(ref _writesAfter);

        public int Count(string phase, string answer) => _answers.GetValueOrDefault($"{phase}: {answer}");

        public string Describe() => string.Join(", ", _answers.OrderBy(a => a.Key).Select(a => $"{a.Key} × {a.Value}"));

        public async Task WriteAsync(CancellationToken stop)
        {
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
            while (!stop.IsCancellationRequested)
            {
                var orderId = $"ord-{Guid.NewGuid():N}";
                if (await SendAsync(client, HttpMethod.Post, "/api/internal/orders", null, ReturnsApi.OrderBody(orderId, customer.OzonId, sellerId)) is null)
                {
                    await Task.Delay(100, CancellationToken.None);
                    continue;
                }

                Orders.Add(orderId);
                if (await SendAsync(client, HttpMethod.Post, "/api/returns", customer.AccessToken, ReturnsApi.ReturnBody(orderId)) is { } created)
                {
                    Returns.Add(created["id"]!.GetValue<Guid>());
                }
                else
                {
                    await Task.Delay(100, CancellationToken.None);
                }
            }
        }

        public async Task ReadAsync(CancellationToken stop)
        {
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
            while (!stop.IsCancellationRequested)
            {
                await SendAsync(client, HttpMethod.Get, $"/api/returns/{known}", customer.AccessToken, null);
                await SendAsync(client, HttpMethod.Get, "/api/customer/returns", customer.AccessToken, null);
                await Task.Delay(50, CancellationToken.None);
            }
        }

        private async Task<JsonNode?> SendAsync(HttpClient client, HttpMethod method, string path, string? token, object? body)
        {
            var phase = Phase;
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (token is null)
            {
                request.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (TaskCanceledException)
            {
                Record(phase, "timeout", $"{method} {path}: no answer within {timeout.TotalSeconds} s");
                return null;
            }
            catch (HttpRequestException e)
            {
                Record(phase, "connection error", $"{method} {path}: {e.Message}");
                return null;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    Record(phase, $"{status}", null);
                    if (method == HttpMethod.Post && Phase == "after")
                    {
                        Interlocked.Increment(ref _writesAfter);
                    }

                    return text.Length > 0 ? JsonNode.Parse(text) : new JsonObject();
                }

                var retryable = status == 503 && response.Headers.RetryAfter is not null;
                var type = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                    ? JsonNode.Parse(text)?["type"]?.GetValue<string>()?.Split('/')[^1]
                    : null;
                Record(phase, retryable ? "503 Retry-After" : $"{status}", retryable && type is not null ? null : $"{method} {path} → {status} {text}");
                return null;
            }
        }

        private void Record(string phase, string answer, string? unexpected)
        {
            _answers.AddOrUpdate($"{phase}: {answer}", 1, (_, n) => n + 1);
            if (unexpected is not null)
            {
                Unexpected.Add($"[{phase}] {unexpected}");
            }
        }
    }
}
