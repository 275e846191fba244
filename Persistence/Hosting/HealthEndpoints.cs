using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The health endpoints every process serves.</summary>
public static class HealthEndpointRouteBuilderExtensions
{
    /// <summary>
    /// <c>/health/live</c>: 200 while the process serves requests (no checks). <c>/health/ready</c>: 200 when the
    /// runtime has started and storage answers, else 503.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithName("HealthLive").WithTags("Health");
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") })
            .WithName("HealthReady").WithTags("Health");
        return endpoints;
    }
}
