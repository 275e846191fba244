using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using OzonActors.Persistence.Configuration;
using OzonActors.Persistence.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>Makes a host an Orleans client of this service's silos (a client gateway): no grains, no reminders.</summary>
public static class OzonClientHostingExtensions
{
    /// <summary>
    /// The host calls grains on the silos the PostgreSQL membership table lists as Active, and follows them as they come
    /// and go. It keeps the event log reader, the grain indexes and the schema of <see cref="OzonPersistenceServiceCollectionExtensions.AddOzonPersistence"/>
    /// (the live feed and the lists read PostgreSQL directly). The host starts without any silo; <c>/health/ready</c> is
    /// 503 until one answers, and the client keeps trying.
    /// </summary>
    /// <summary>Why a client gateway cannot start without <c>ConnectionStrings:Postgres</c>.</summary>
    public const string NeedsPostgres =
        "Gateway:Silo = Client needs ConnectionStrings:Postgres: a client gateway finds its silos in the PostgreSQL membership table.";

    public static IHostApplicationBuilder AddOzonClusterClient(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres")))
        {
            throw new InvalidOperationException(NeedsPostgres);
        }

        var services = builder.Services;
        services.AddOzonPersistence(configuration);
        var cluster = services.AddOzonClusterOptions(configuration);

        // The Orleans client connects while the host starts; without silos it would block the web server. Starting the
        // hosted services together lets the gateway answer (503, "try again") while the client keeps trying.
        services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering((AdoNetClusteringClientOptions _) => { });
            client.Services.AddOptions<AdoNetClusteringClientOptions>().Configure<IOptions<StorageOptions>>((clustering, storage) =>
            {
                clustering.Invariant = "Npgsql";
                clustering.ConnectionString = OzonPersistenceServiceCollectionExtensions.OrleansConnectionString(storage.Value, "clustering", 4);
            });

            // Orleans re-reads the gateway list every minute by default: a silo that joined (or came back after a
            // rolling restart) would wait that long for this gateway's traffic. Dead gateways are dropped at once,
            // when their connection breaks.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.ClientResponseTimeout);
            client.UseConnectionRetryFilter(RetryForever);
            client.Services.AddSerializer(serializer => serializer.AddOzonSerialization());
            client.AddOzonTelemetry();

            // Readiness follows the client's own connections, not one grain's silo (a frozen silo must not make every
            // gateway unready while the others serve).
            client.Services.AddSingleton<GatewayCountChangedHandler>(sp => sp.GetRequiredService<ClusterConnection>().OnGatewayCountChanged);
            client.Services.AddSingleton<ConnectionToClusterLostHandler>(sp => sp.GetRequiredService<ClusterConnection>().OnConnectionLost);
        });

        builder.AddOzonTelemetry();
        services.AddSingleton(sp => new ClusterConnection(sp.GetRequiredService<SchemaMigrations>()));
        services.AddHostedService(sp => sp.GetRequiredService<ClusterConnection>());
        services.AddHealthChecks().AddCheck<ClusterClientHealthCheck>("cluster", tags: ["ready"]);
        return builder;
    }

    /// <summary>A client gateway never gives up on its cluster: silos may start after it, or all restart at once.</summary>
    private static async Task<bool> RetryForever(Exception exception, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        return !cancellationToken.IsCancellationRequested;
    }
}
