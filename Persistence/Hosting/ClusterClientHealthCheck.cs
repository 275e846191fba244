using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace OzonActors.Persistence.Hosting;

/// <summary>
/// Ready while a client gateway reaches the cluster: a silo answers a call within two seconds and reports an Active silo.
/// A silo that was just killed can fail the call until the cluster declares it dead (about three seconds).
/// </summary>
internal sealed class ClusterClientHealthCheck(IClusterClient client, ClusterConnection connection) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!connection.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Connecting to the cluster: no silo answered yet.");
        }

        try
        {
            var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)
                .WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s).")
                : HealthCheckResult.Unhealthy("No silo is Active.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("No silo of the cluster answers.", exception);
        }
    }
}
