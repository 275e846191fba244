using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OzonActors.Runtime.Activation;
using OzonActors.Runtime.Configuration;
using OzonActors.Runtime.Events;
using OzonActors.Runtime.Reminders;
using OzonActors.Runtime.Storage.Postgres;

namespace OzonActors.Runtime.Hosting;

/// <summary>
/// Starts and stops the runtime with the host: migrations first, then the reminder, notification and retention
/// loops; at stop, the reminder loop ends before activations are deactivated.
/// </summary>
public sealed class GrainRuntimeHost : IHostedService
{
    private readonly IServiceProvider _services;
    private readonly StorageOptions _storage;
    private readonly ILogger<GrainRuntimeHost> _log;
    // Never disposed: the host may call StopAsync after disposing its services, and a source without timers holds nothing.
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private Task? _reminderLoop;
    private Task? _stopped;

    public GrainRuntimeHost(IServiceProvider services, IOptions<StorageOptions> storage, ILogger<GrainRuntimeHost> log)
    {
        _services = services;
        _storage = storage.Value;
        _log = log;

        // Resolved now, not at stop: a host may run StopAsync again after its services were disposed.
        Catalog = services.GetRequiredService<Catalog>();
        Reminders = services.GetRequiredService<ReminderService>();
    }

    /// <summary>True between a successful start and the beginning of stop.</summary>
    public bool IsRunning { get; private set; }

    internal Catalog Catalog { get; }

    internal ReminderService Reminders { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_storage.ConnectionString is null)
        {
            _log.InMemoryStorage();
        }
        else
        {
            var dataSource = _services.GetRequiredService<NpgsqlDataSource>();
            var applied = _storage.MigrateOnStart
                ? await new PostgresMigrator(dataSource, _storage.Schema).MigrateAsync(cancellationToken).ConfigureAwait(false)
                : [];
            _log.PostgresReady(_storage.Schema, applied.Count == 0 ? "none" : string.Join(", ", applied));
            var channel = _services.GetRequiredService<PostgresEventChannel>();
            _loops.Add(Task.Run(() => channel.NotifyLoopAsync(_stopping.Token), CancellationToken.None));
            _loops.Add(Task.Run(() => channel.ListenLoopAsync(_stopping.Token), CancellationToken.None));
        }

        var retention = _services.GetRequiredService<EventRetention>();
        _loops.Add(Task.Run(() => retention.RunAsync(_stopping.Token), CancellationToken.None));
        _reminderLoop = Task.Run(() => Reminders.RunAsync(_stopping.Token), CancellationToken.None);
        IsRunning = true;
    }

    /// <summary>Stops once; a second call (hosts may stop twice) awaits the first.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_loops)
        {
            return _stopped ??= StopOnceAsync();
        }
    }

    private async Task StopOnceAsync()
    {
        IsRunning = false;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_reminderLoop is not null)
        {
            await _reminderLoop.ConfigureAwait(false);
        }

        await Catalog.DeactivateAllAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }
}
