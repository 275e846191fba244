using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace OzonActors.Bench.Cluster;

/// <summary>
/// An Orleans client in the bench process, joined to the silos of the PostgreSQL membership table the way a client
/// gateway is (<c>builder.AddOzonClusterClient()</c>: the same cluster ids, the same response timeout, the event log
/// reader), but with no HTTP in front: the bench's direct route to the grains, and its view of the cluster
/// (<see cref="IManagementGrain"/>). Warnings go to stderr.
/// </summary>
internal sealed class BenchClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchClusterClient(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IClusterClient Client => Services.GetRequiredService<IClusterClient>();

    public IManagementGrain Management => Client.GetGrain<IManagementGrain>(0);

    /// <summary>Starts the client with <paramref name="settings"/> (<c>ConnectionStrings:Postgres</c> at least); returns once it reached a silo.</summary>
    public static async Task<BenchClusterClient> ConnectAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        // A killed silo's broken connections are the point of a failover run, not news: only errors from the messaging layer.
        builder.Logging.AddFilter("Orleans.Runtime.Messaging", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Networking", LogLevel.Error);
        builder.AddOzonClusterClient();
        var host = builder.Build();
        var client = new BenchClusterClient(host);
        try
        {
            // The client connects while the host starts (it retries until a silo answers), so StartAsync returns connected.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await host.StartAsync(timeout.Token);
            await client.Management.GetHosts(onlyActive: true);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>The active silo whose silo-to-silo port is <paramref name="port"/> (the process's <c>SiloPort</c>), or null.</summary>
    public async Task<SiloAddress?> FindSiloAsync(int port)
    {
        var hosts = await Management.GetHosts(onlyActive: true);
        return hosts.Keys.Where(address => address.Endpoint.Port == port).MaxBy(address => address.Generation);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _host.StopAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or OrleansException or InvalidOperationException)
        {
            // Stopping a client whose silos are gone may fail; the process is ending anyway.
        }

        _host.Dispose();
    }
}
