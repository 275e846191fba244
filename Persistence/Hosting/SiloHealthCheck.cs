using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace OzonActors.Persistence.Hosting;

/// <summary>Ready while this process's silo is Active in the cluster's membership.</summary>
internal sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The silo is {status}, not Active."));
    }
}
