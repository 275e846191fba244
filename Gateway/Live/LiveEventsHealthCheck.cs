using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OzonActors.Gateway.Live;

/// <summary>Ready once the live event reader knows its start: before that, Resume would wait and events could be missed.</summary>
internal sealed class LiveEventsHealthCheck(LiveEventDispatcher dispatcher) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(dispatcher.IsStarted
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The live event reader has not started."));
}
