using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OzonActors.Persistence.Configuration;

namespace OzonActors.Persistence.Events;

/// <summary>Deletes events older than the retention window (default 7 days), on the injected clock.</summary>
internal sealed class EventRetention(IEventLog eventLog, [FromKeyedServices(BusinessClock.Key)] TimeProvider time, IOptions<EventLogOptions> options, ILogger<EventRetention> log)
{
    private readonly EventLogOptions _options = options.Value;

    public async Task<int> TrimAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - _options.Retention;
        var count = await eventLog.TrimAsync(cutoff, cancellationToken).ConfigureAwait(false);
        if (count > 0)
        {
            log.EventsTrimmed(count, cutoff);
        }

        return count;
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
