using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Operations;

/// <summary>Issue 14: traces across gateway, grain calls and SQL; metrics and the dashboard for operators only.</summary>
public sealed partial class TelemetryTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task One_request_on_PostgreSQL_yields_gateway_grain_call_SQL_and_live_push_spans_under_one_trace_id()
    {
        var spans = new LockedSpans();
        using var factory = new GatewayFactory(OnPostgres())
        {
            ExtraServices = services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)),
        };
        var api = factory.CreateApi();
        var customer = await api.LoginAsync(ApiClient.NewPhone());
        var seller = await api.NewSellerAsync();
        var orderId = await api.RecordOrderAsync(customer.OzonId, seller.CompanyId);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/returns") { Content = System.Net.Http.Json.JsonContent.Create(ReturnsApi.ReturnBody(orderId)) };
        request.Headers.Authorization = new("Bearer", customer.AccessToken);

        // Our own trace id (W3C traceparent): other tests' hosts in this process trace through the same sources.
        var traceId = ActivityTraceId.CreateRandom();
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var finished = spans.Snapshot();
        var trace = finished.Where(s => s.TraceId == traceId).ToList();
        Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore"
            && s.GetTagItem("url.path") as string == "/api/returns" && s.GetTagItem("http.request.method") as string == "POST");
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("ReturnRequest", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && (s.GetTagItem("db.query.text") ?? s.GetTagItem("db.statement")) is string sql
            && sql.Contains("grain_state", StringComparison.Ordinal));

        // The live event the request caused is pushed later, by the gateway reading the event log: its push span
        // continues the same trace.
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(100))
        {
            factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
            var pushes = spans.Snapshot().Where(s => s.TraceId == traceId && s.Source.Name == "OzonActors").ToList();
            if (pushes.Count > 0 || waited.Elapsed > TimeSpan.FromSeconds(15))
            {
                Assert.Contains(pushes, s => s.DisplayName == "live push ReturnStatusChanged" && s.Kind == ActivityKind.Producer);
                break;
            }
        }
    }

    /// <summary>
    /// In a process of its own: the instruments are process-wide, and a test process holds many silos whose Orleans
    /// meters would crowd one exporter.
    /// </summary>
    [Fact]
    public async Task The_scrape_shows_a_status_change_and_a_fired_deadline_and_answers_only_the_operator()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Returns:Deadlines:New"] = "00:00:02",
            ["Reminders:RetryPeriod"] = "00:00:01",
            ["OzonId:PhoneCodeInterval"] = "00:00:00",
        });
        var api = new ApiClient(gateway.CreateClient());
        await api.SendAsync(HttpMethod.Get, "/metrics", null, null, HttpStatusCode.Unauthorized);
        var before = await ScrapeAsync(api, bearer: false);

        var customer = await api.LoginAsync(ApiClient.NewPhone());
        var seller = await api.NewSellerAsync();
        var created = await api.CreateReturnAsync(customer, await api.RecordOrderAsync(customer.OzonId, seller.CompanyId));
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(250)) // New times out: Approved by the system
        {
            var request = await api.SendAsync(HttpMethod.Get, $"/api/returns/{created["id"]}", customer.AccessToken, null, HttpStatusCode.OK);
            if (request.Status() == "Approved" || waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.Equal("Approved", request.Status());
                break;
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1)); // past the exporter's scrape cache
        var after = await ScrapeAsync(api, bearer: true);
        Grew(before, after, "ozon_status_transitions_total", "status=\"New\"", 1);
        Grew(before, after, "ozon_status_transitions_total", "status=\"Approved\"", 1);
        Grew(before, after, "ozon_deadlines_fired_total", "grain_type=\"return-request\"", 1);
        Grew(before, after, "ozon_otp_sends_total", "channel=\"Sms\"", 2);
        Assert.Contains("orleans_", after, StringComparison.Ordinal); // Orleans' own meter
    }

    [Fact]
    public async Task The_dashboard_refuses_anonymous_callers_and_opens_with_the_operator_key()
    {
        using var factory = new GatewayFactory();
        var http = factory.CreateClient();
        using (var anonymous = await http.GetAsync("/dashboard/"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        }

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        wrong.Headers.Add("X-Api-Key", "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

        using var operatorRequest = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        operatorRequest.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
        using var page = await http.SendAsync(operatorRequest);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> ScrapeAsync(ApiClient api, bool bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (bearer)
        {
            request.Headers.Authorization = new("Bearer", ReturnsApi.InternalKey);
        }
        else
        {
            request.Headers.Add("X-Api-Key", ReturnsApi.InternalKey);
        }

        using var response = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static void Grew(string before, string after, string metric, string label, int atLeast)
    {
        var (from, to) = (Sample(before, metric, label), Sample(after, metric, label));
        Assert.True(to >= from + atLeast, $"{metric}{{{label}}} went from {from} to {to}, expected +{atLeast}:\n"
            + string.Join("\n", after.Split('\n').Where(l => l.StartsWith(metric, StringComparison.Ordinal))));
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>; 0 if none.</summary>
    private static double Sample(string scrape, string metric, string label) =>
        SampleLine().Matches(scrape).Where(m => m.Groups["name"].Value == metric && m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            .Select(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)).FirstOrDefault();

    private Dictionary<string, string?> OnPostgres() => new()
    {
        ["ConnectionStrings:Postgres"] = database.ConnectionString,
        ["Orleans:SiloPort"] = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture),
        ["Orleans:GatewayPort"] = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture),
        ["Orleans:AdvertisedIP"] = "127.0.0.1",
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    /// <summary>The exporter adds spans from any thread (the silo's timers keep tracing): a list under a lock.</summary>
    private sealed class LockedSpans : System.Collections.ObjectModel.Collection<Activity>
    {
        private readonly Lock _lock = new();

        public List<Activity> Snapshot()
        {
            lock (_lock)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
