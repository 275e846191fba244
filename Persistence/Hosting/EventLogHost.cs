using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OzonActors.Persistence.Events;

namespace OzonActors.Persistence.Hosting;

/// <summary>Runs the event log's loops with the host: cross-process notifications on PostgreSQL, and retention.</summary>
internal sealed class EventLogHost(IServiceProvider services, SchemaMigrations migrations) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.EnsureAppliedAsync(stoppingToken).ConfigureAwait(false);
        var loops = new List<Task> { services.GetRequiredService<EventRetention>().RunAsync(stoppingToken) };
        if (services.GetService<PostgresEventChannel>() is { } channel)
        {
            loops.Add(channel.NotifyLoopAsync(stoppingToken));
            loops.Add(channel.ListenLoopAsync(stoppingToken));
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }
}
