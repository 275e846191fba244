using Microsoft.Extensions.Diagnostics.HealthChecks;
using OzonActors.Runtime.Storage;

namespace OzonActors.Runtime.Hosting;

/// <summary>Ready when the runtime has started and its storage answers.</summary>
internal sealed class GrainRuntimeHealthCheck(GrainRuntimeHost host, IGrainStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!host.IsRunning)
        {
            return HealthCheckResult.Unhealthy("The grain runtime is not running.");
        }

        try
        {
            await storage.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (GrainStorageException exception)
        {
            return HealthCheckResult.Unhealthy("Storage does not answer.", exception);
        }
    }
}
