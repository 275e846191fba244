using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace OzonActors.Persistence.Hosting;

/// <summary>
/// Traces, metrics and the Orleans Dashboard for every process (co-hosted gateway, client gateway, silo):
/// <list type="bullet">
/// <item>traces of ASP.NET Core, Orleans grain calls (activity propagation across processes) and Npgsql commands,
/// exported by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and nowhere otherwise;</item>
/// <item>metrics of Orleans, ASP.NET Core, Npgsql, the runtime and <see cref="OzonMetrics"/>, scraped at <c>/metrics</c>;</item>
/// <item>the Orleans Dashboard at <c>/dashboard/</c>.</item>
/// </list>
/// <c>/metrics</c> and <c>/dashboard</c> answer only the operator: the operator key as <c>X-Api-Key</c> or
/// <c>Authorization: Bearer</c> (what Prometheus' <c>authorization</c> setting sends); anyone else gets 401.
/// </summary>
public static class OzonTelemetry
{
    public const string MetricsPath = "/metrics";
    public const string DashboardPath = "/dashboard";

    /// <summary>Adds OpenTelemetry: traces (unless <c>Telemetry:Tracing</c> is false) and metrics (unless <c>Telemetry:Metrics</c> is false).</summary>
    public static IHostApplicationBuilder AddOzonTelemetry(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Services.AddOzonTelemetry(builder.Environment.ApplicationName,
            tracing: configuration.GetValue("Telemetry:Tracing", true),
            metrics: configuration.GetValue("Telemetry:Metrics", true),
            otlp: !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]));
        return builder;
    }

    /// <summary>The OpenTelemetry part of <see cref="AddOzonTelemetry(IHostApplicationBuilder)"/>, for hosts built otherwise (the benchmarks).</summary>
    public static IServiceCollection AddOzonTelemetry(this IServiceCollection services, string serviceName, bool tracing, bool metrics, bool otlp)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: serviceName,
                serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId));
        if (tracing)
        {
            otel.WithTracing(t => t
                .AddSource(Orleans.Diagnostics.ActivitySources.AllActivitySourceName, OzonTracing.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperatorPath(context.Request.Path))
                .AddNpgsql());
        }

        if (metrics)
        {
            otel.WithMetrics(m => m
                .AddMeter("Microsoft.Orleans", OzonMetrics.Name)
                .AddAspNetCoreInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        }

        if (otlp)
        {
            otel.UseOtlpExporter();
        }

        return services;
    }

    /// <summary>The silo side: grain calls carry the caller's trace, and the Dashboard collects grain statistics.</summary>
    public static ISiloBuilder AddOzonTelemetry(this ISiloBuilder silo)
    {
        silo.AddActivityPropagation();
        silo.AddDashboard();
        return silo;
    }

    /// <summary>The client side of a client gateway: grain calls carry the request's trace; the Dashboard reads the silos'.</summary>
    public static IClientBuilder AddOzonTelemetry(this IClientBuilder client)
    {
        client.AddActivityPropagation();
        client.AddDashboard();
        return client;
    }

    /// <summary>Maps <c>/metrics</c> and <c>/dashboard</c> behind the operator key.</summary>
    public static WebApplication MapOperatorEndpoints(this WebApplication app)
    {
        var key = OperatorKey(app.Configuration, app.Environment);
        app.Use(async (context, next) =>
        {
            if (IsOperatorPath(context.Request.Path) && !IsOperator(context.Request, key))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"operator\"";
                await Results.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    type: "https://ozon-actors/errors/operator-key-required",
                    detail: "Metrics and the dashboard are for operators: send the operator key as X-Api-Key or as Authorization: Bearer <key>.")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        if (app.Services.GetService<MeterProvider>() is not null)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        }

        app.MapOrleansDashboard(DashboardPath).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// <c>Operations:ApiKey</c>, else the gateway's <c>Gateway:InternalApiKey</c>, else <c>dev-internal-key</c> in
    /// Development; with none (outside Development) the operator endpoints refuse everyone.
    /// </summary>
    internal static string? OperatorKey(IConfiguration configuration, IHostEnvironment environment) =>
        configuration["Operations:ApiKey"] is { Length: > 0 } key ? key
        : configuration["Gateway:InternalApiKey"] is { Length: > 0 } internalKey ? internalKey
        : environment.IsDevelopment() ? "dev-internal-key" : null;

    private static bool IsOperatorPath(PathString path) =>
        path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase);

    private static bool IsOperator(HttpRequest request, string? key)
    {
        if (key is null)
        {
            return false;
        }

        var given = request.Headers["X-Api-Key"].ToString();
        if (given.Length == 0 && request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            given = authorization["Bearer ".Length..].Trim();
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));
    }
}

/// <summary>
/// Our own spans: the push of a live event to hub connections, a child of the span the event was committed in, so a
/// request's trace runs on to the pushes it caused (the push happens later, in the gateway that reads the event log).
/// </summary>
public static class OzonTracing
{
    public const string Name = "OzonActors";

    public static readonly System.Diagnostics.ActivitySource Source = new(Name);
}

/// <summary>
/// Our own instruments (meter <c>OzonActors</c>): status transitions, deadlines fired and their lateness, operation-key
/// replays, live events pushed and their lag, hub connections, code sends and refusals. Static, like the runtime's own
/// meters: a grain or the facet records without a dependency, and an exporter that does not listen costs nothing.
/// </summary>
public static class OzonMetrics
{
    public const string Name = "OzonActors";

    private static readonly Meter Meter = new(Name);

    /// <summary>Status transitions; tags <c>program</c> and <c>status</c>.</summary>
    public static readonly Counter<long> Transitions =
        Meter.CreateCounter<long>("ozon.status_transitions", description: "Status transitions, by program and new status.");

    /// <summary>Deadlines handled; tag <c>grain_type</c>.</summary>
    public static readonly Counter<long> DeadlinesFired = Meter.CreateCounter<long>("ozon.deadlines.fired", description: "Deadlines handled, by grain type.");

    /// <summary>Seconds between a deadline's due instant and its handling; tag <c>grain_type</c>.</summary>
    public static readonly Histogram<double> DeadlineLateness =
        Meter.CreateHistogram<double>("ozon.deadlines.lateness", unit: "s", description: "How late a deadline was handled after its due instant.");

    /// <summary>Operations answered as replays of a key already applied; tag <c>grain_type</c>.</summary>
    public static readonly Counter<long> Replays = Meter.CreateCounter<long>("ozon.operation_keys.replays", description: "Operations answered as replays of an applied key.");

    /// <summary>Live events pushed to hub connections.</summary>
    public static readonly Counter<long> EventsPushed = Meter.CreateCounter<long>("ozon.live.events_pushed", description: "Live events pushed to hub connections.");

    /// <summary>Seconds from an event's commit to its push.</summary>
    public static readonly Histogram<double> PushLag = Meter.CreateHistogram<double>("ozon.live.push_lag", unit: "s", description: "From an event's commit to its push.");

    /// <summary>Open hub connections.</summary>
    public static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>("ozon.live.connections", description: "Open hub connections.");

    /// <summary>Login codes sent; tag <c>channel</c>.</summary>
    public static readonly Counter<long> CodeSends = Meter.CreateCounter<long>("ozon.otp.sends", description: "Login codes sent, by channel.");

    /// <summary>Code requests refused; tag <c>reason</c>.</summary>
    public static readonly Counter<long> CodeRefusals = Meter.CreateCounter<long>("ozon.otp.refusals", description: "Code requests refused, by reason.");
}
