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
    private int _gateways = -1;

    internal ClusterConnection(SchemaMigrations migrations) => _migrations = migrations;

    /// <summary>True once the Orleans client has connected to a silo (it then follows silos as they come and go).</summary>
    public bool IsConnected => _connected;

    /// <summary>
    /// The silos (Orleans gateways) the client holds a connection to, as Orleans last reported; -1 before any report. A
    /// frozen silo keeps its connection: it counts until the cluster declares it dead.
    /// </summary>
    public int ConnectedSilos => Volatile.Read(ref _gateways);

    /// <summary>Orleans' report that the number of connected gateways changed.</summary>
    internal void OnGatewayCountChanged(object? sender, GatewayCountChangedEventArgs e) =>
        Volatile.Write(ref _gateways, e.NumberOfConnectedGateways);

    /// <summary>Orleans' report that no gateway is connected any more.</summary>
    internal void OnConnectionLost(object? sender, EventArgs e) => Volatile.Write(ref _gateways, 0);

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
