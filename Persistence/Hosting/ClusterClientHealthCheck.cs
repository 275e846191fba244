using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OzonActors.Persistence.Hosting;

/// <summary>
/// Ready while a client gateway reaches the cluster: its Orleans client has connected and holds a connection to at least
/// one silo. It reads the client's own connection count, so one slow or frozen silo does not make every gateway unready
/// while the other silos serve.
/// </summary>
internal sealed class ClusterClientHealthCheck(ClusterConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult((connection.IsConnected, connection.ConnectedSilos) switch
        {
            (false, _) => HealthCheckResult.Unhealthy("Connecting to the cluster: no silo answered yet."),
            (true, 0) => HealthCheckResult.Unhealthy("No silo of the cluster is reachable; the client keeps trying."),
            (true, var silos) => HealthCheckResult.Healthy(silos > 0 ? $"Connected to {silos} silo(s)." : "Connected."),
        });
}
