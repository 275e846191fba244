using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OzonActors.Persistence.Configuration;
using OzonActors.Persistence.Storage;

namespace OzonActors.Persistence.Events;

/// <summary>
/// Deletes, on the injected clock: events older than the retention window (default 7 days), grain states past the
/// expiry their grain gave them, and operation keys older than the replay window (default 90 days).
/// </summary>
internal sealed class EventRetention(
    IEventLog eventLog,
    IGrainStorage storage,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider time,
    IOptions<EventLogOptions> options,
    IOptions<StorageOptions> storageOptions,
    ILogger<EventRetention> log)
{
    private readonly EventLogOptions _options = options.Value;

    public async Task<int> TrimAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - _options.Retention;
        var count = await eventLog.TrimAsync(cutoff, cancellationToken).ConfigureAwait(false);
        if (count > 0)
        {
            log.EventsTrimmed(count, cutoff);
        }

        var rows = await storage.DeleteExpiredAsync(now, now - storageOptions.Value.OperationKeyRetention, cancellationToken).ConfigureAwait(false);
        if (rows > 0)
        {
            log.ExpiredRowsDeleted(rows);
        }

        return count + rows;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await TrimAsync(stopping).ConfigureAwait(false);
                await Task.Delay(_options.CleanupInterval, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                log.EventLoopFailed(exception, "retention", _options.CleanupInterval);
                try
                {
                    await Task.Delay(_options.CleanupInterval, time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
