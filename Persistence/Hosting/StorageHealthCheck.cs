using Microsoft.Extensions.Diagnostics.HealthChecks;
using OzonActors.Persistence.Storage;

namespace OzonActors.Persistence.Hosting;

/// <summary>Ready when the grain store answers.</summary>
internal sealed class StorageHealthCheck(IGrainStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
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
