using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Operations;

/// <summary>
/// Issue 14, as an operator sees it: real processes on PostgreSQL, traces exported by the standard OTLP variables, logs
/// on the console. Each test calls with its own W3C <c>traceparent</c> and looks for that trace id.
/// </summary>
public sealed class ProcessTelemetryTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string Gateway = "OzonActors.Gateway";
    private const string Silo = "OzonActors.Silo";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_request_through_a_client_gateway_is_one_trace_with_the_silo_process_grain_call_and_its_SQL()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var settings = new Dictionary<string, string?>(receiver.Environment)
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Orleans:ClusterId"] = $"trace-{Guid.NewGuid():N}", // a cluster of its own: no dead member of another test to vote out
        };
        await using var silo = await GatewayProcess.StartSiloAsync(settings);
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>(settings) { ["Gateway:Silo"] = "Client" });

        var traceId = await RequestCodeAsync(gateway);

        var spans = await receiver.WaitForAsync(s => Calls(s, traceId, Silo, ActivityKind.Server).Any() && SiloSql(s, traceId).Any()
            && Spans(s, traceId, Gateway, "Microsoft.AspNetCore").Any(), Patience);
        var trace = Describe(spans.Where(s => s.TraceId == traceId));
        var request = One(Spans(spans, traceId, Gateway, "Microsoft.AspNetCore"), "request served by the gateway", trace);
        Assert.Equal("/api/auth/code", request.Attributes.GetValueOrDefault("url.path"));
        var call = One(Calls(spans, traceId, Gateway, ActivityKind.Client), "grain call made by the gateway", trace);
        Assert.Equal(request.SpanId, call.ParentSpanId);

        // Across the process boundary: the silo runs the call as a child of the gateway's call, and its SQL as a child of that.
        var served = One(Calls(spans, traceId, Silo, ActivityKind.Server), "grain call served by the silo", trace);
        Assert.Equal(call.SpanId, served.ParentSpanId);
        Assert.Contains(SiloSql(spans, traceId), sql => sql.ParentSpanId == served.SpanId);
    }

    [Fact]
    public async Task Json_console_logs_carry_the_request_trace_id_at_the_edge_and_in_the_SQL_of_its_grain_call()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Orleans:ClusterId"] = $"logs-{Guid.NewGuid():N}", // a cluster of its own: no dead member of another test to vote out
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            ["Logging:LogLevel:Npgsql.Command"] = "Debug",
        });

        var traceId = await RequestCodeAsync(gateway);

        var edge = await gateway.WaitForLineAsync(line => IsLog(line, "Microsoft.AspNetCore.Hosting.Diagnostics", traceId, "/api/auth/code"), Patience);
        Assert.True(edge is not null, $"No request log with trace id {traceId} in its scopes:\n{gateway.Output}");
        var sql = await gateway.WaitForLineAsync(line => IsLog(line, "Npgsql.Command", traceId, "grain_state"), Patience);
        Assert.True(sql is not null, $"No SQL log with trace id {traceId} in its scopes:\n{gateway.Output}");
    }

    /// <summary>Asks for a login code (the grain writes its state) under a trace id of our own, and returns that id.</summary>
    private static async Task<ActivityTraceId> RequestCodeAsync(GatewayProcess gateway)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var http = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/code")
        {
            Content = JsonContent.Create(new { phone = ApiClient.NewPhone(), channel = "Sms" }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return traceId;
    }

    private static IEnumerable<ReceivedSpan> Spans(IEnumerable<ReceivedSpan> spans, ActivityTraceId traceId, string service, string scope) =>
        spans.Where(s => s.TraceId == traceId && s.Service == service && s.Scope.StartsWith(scope, StringComparison.Ordinal));

    private static IEnumerable<ReceivedSpan> Calls(IEnumerable<ReceivedSpan> spans, ActivityTraceId traceId, string service, ActivityKind kind) =>
        Spans(spans, traceId, service, "Microsoft.Orleans").Where(s => s.Kind == kind && s.Name == "ILoginChallengeGrain/StartAsync");

    private static IEnumerable<ReceivedSpan> SiloSql(IEnumerable<ReceivedSpan> spans, ActivityTraceId traceId) =>
        Spans(spans, traceId, Silo, "Npgsql").Where(s =>
            (s.Attributes.GetValueOrDefault("db.query.text") ?? s.Attributes.GetValueOrDefault("db.statement") ?? "").Contains("grain_state", StringComparison.Ordinal));

    private static ReceivedSpan One(IEnumerable<ReceivedSpan> spans, string what, string trace)
    {
        var found = spans.ToList();
        Assert.True(found.Count == 1, $"Expected one {what} in the trace, found {found.Count}:\n{trace}");
        return found[0];
    }

    private static string Describe(IEnumerable<ReceivedSpan> spans) =>
        string.Join('\n', spans.Select(s => $"{s.Service} {s.Scope} {s.Kind} '{s.Name}' span {s.SpanId} parent {s.ParentSpanId}"));

    /// <summary>A JSON console line of <paramref name="category"/> whose message has <paramref name="text"/> and whose scopes carry the trace id.</summary>
    private static bool IsLog(string line, string category, ActivityTraceId traceId, string text)
    {
        if (!line.StartsWith('{'))
        {
            return false;
        }

        using var log = JsonDocument.Parse(line);
        var root = log.RootElement;
        return root.GetProperty("Category").GetString() == category
            && root.GetProperty("Message").GetString()?.Contains(text, StringComparison.Ordinal) == true
            && root.TryGetProperty("Scopes", out var scopes)
            && scopes.EnumerateArray().Any(scope => scope.ValueKind == JsonValueKind.Object
                && scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId.ToHexString());
    }
}
