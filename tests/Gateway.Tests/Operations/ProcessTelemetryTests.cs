using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Operations;

/// <summary>
/// Issue 14, as an operator sees it: real processes on PostgreSQL, traces exported by the standard OTLP variables. Each
/// test calls with its own W3C <c>traceparent</c> and looks for that trace id.
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
}
