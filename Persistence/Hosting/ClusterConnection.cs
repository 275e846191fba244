using Microsoft.Extensions.Hosting;

namespace OzonActors.Persistence.Hosting;

/// <summary>
/// A client gateway's view of its cluster connection. The schema is migrated before any hosted service starts (the
/// live feed reads it), and the Orleans client counts as connected once every hosted service has started: until
/// then a grain call cannot even resolve its grain type, so the gateway answers 503 instead.
/// </summary>
public sealed class ClusterConnection : IHostedLifecycleService
{
    private readonly SchemaMigrations _migrations;
    private volatile bool _connected;

    internal ClusterConnection(SchemaMigrations migrations) => _migrations = migrations;

    /// <summary>True once the Orleans client has connected to a silo (it then follows silos as they come and go).</summary>
    public bool IsConnected => _connected;

    public Task StartingAsync(CancellationToken cancellationToken) => _migrations.EnsureAppliedAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _connected = true;
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _connected = false;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
