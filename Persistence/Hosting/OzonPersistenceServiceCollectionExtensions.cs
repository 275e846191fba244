using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OzonActors;
using OzonActors.Persistence;
using OzonActors.Persistence.Configuration;
using OzonActors.Persistence.Events;
using OzonActors.Persistence.Hosting;
using OzonActors.Persistence.Storage;
using OzonActors.Persistence.Storage.Memory;
using OzonActors.Persistence.Storage.Postgres;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what the <c>[DurableState]</c> facet and the live event log read and write.</summary>
public static class OzonPersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Adds grain storage, grain indexes and the event log, bound to the <c>Storage</c> and <c>Events</c> sections;
    /// <c>ConnectionStrings:Postgres</c> selects PostgreSQL, its absence the in-memory default. A
    /// <see cref="BusinessClock"/> registered before this call (a fake one in tests) is kept.
    /// </summary>
    public static IServiceCollection AddOzonPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(s => s.ServiceType == typeof(RuntimeSignals)))
        {
            return services;
        }

        services.AddOptions<EventLogOptions>().Bind(configuration.GetSection(EventLogOptions.Section)).ValidateOnStart();
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Configure(o => o.ConnectionString ??= configuration.GetConnectionString("Postgres") is { Length: > 0 } cs ? cs : null)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventLogOptions>, EventLogOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddBusinessClock();
        services.AddSingleton<RuntimeSignals>();
        services.AddSingleton<EventRetention>();
        services.AddSingleton(sp => new EventFeed(
            sp.GetRequiredService<IEventLog>(), sp.GetRequiredService<RuntimeSignals>(), sp.GetRequiredService<IOptions<EventLogOptions>>()));

        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrEmpty(connectionString))
        {
            services.AddSingleton<MemoryStore>();
            AddProviderViews<MemoryStore>(services);
        }
        else
        {
            // Npgsql's own registration: the data source gets the host's logger factory, and NpgsqlConnection/DbDataSource.
            services.AddNpgsqlDataSource(connectionString,
                (sp, builder) => ConfigureDataSource(builder, connectionString, sp.GetRequiredService<IOptions<StorageOptions>>().Value.Schema));
            services.AddSingleton<PostgresStore>();
            services.AddSingleton(sp => new PostgresEventChannel(
                sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<IOptions<StorageOptions>>().Value.Schema,
                sp.GetRequiredService<RuntimeSignals>(),
                sp.GetRequiredService<ILogger<PostgresEventChannel>>()));
            AddProviderViews<PostgresStore>(services);
        }

        services.AddSingleton<SchemaMigrations>();
        services.AddHostedService<EventLogHost>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Registers <see cref="BusinessClock"/>: the host's <see cref="TimeProvider"/> unless a test registered its own
    /// under the key before.
    /// </summary>
    public static IServiceCollection AddBusinessClock(this IServiceCollection services)
    {
        services.TryAddKeyedSingleton<TimeProvider>(BusinessClock.Key, static (sp, _) => sp.GetRequiredService<TimeProvider>());
        return services;
    }

    /// <summary>
    /// The connection string one of Orleans' ADO.NET providers gets: the same server, with the schema on the search path,
    /// and a pool of its own (Npgsql pools by connection string, so the application name separates them). Membership
    /// gets a small pool nothing else can drain, so a burst of reminder traffic never delays a heartbeat or a vote.
    /// </summary>
    internal static string OrleansConnectionString(StorageOptions storage, string provider, int maxPoolSize) =>
        new NpgsqlConnectionStringBuilder(storage.ConnectionString)
        {
            SearchPath = storage.Schema,
            ApplicationName = $"ozon-orleans-{provider}",
            MaxPoolSize = maxPoolSize,
        }.ConnectionString;

    private static readonly string[] PoolSizeKeywords = ["Maximum Pool Size", "Max Pool Size", "MaxPoolSize"];

    /// <summary>
    /// Our defaults on top of what <paramref name="connectionString"/> says. Kept by hand: they differ from Npgsql's own
    /// (no auto-prepare, a pool of 100), and <c>AddNpgsqlDataSource</c> takes them only as a builder action.
    /// </summary>
    private static void ConfigureDataSource(NpgsqlDataSourceBuilder builder, string connectionString, string schema)
    {
        builder.ConnectionStringBuilder.SearchPath = schema;

        // The facet sends a handful of fixed statements over and over: let the server plan them once per connection,
        // unless the connection string chose otherwise.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }

        // Bound what one process can open (unless the connection string says): when 100,000 deadlines fall due at once,
        // turns wait for a connection instead of pushing the server past max_connections. With Orleans' two pools
        // (reminders 16, membership 4) a process opens at most 60; size max_connections for the processes you run
        // (docker-compose.yml sets 300).
        // (Npgsql's builder answers ContainsKey for any keyword it knows, set or not: ask a plain builder what was given.)
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!PoolSizeKeywords.Any(given.ContainsKey))
        {
            builder.ConnectionStringBuilder.MaxPoolSize = 40;
        }
    }

    private static void AddProviderViews<TStore>(IServiceCollection services)
        where TStore : class, IGrainStorage, IEventLog, IGrainIndex
    {
        services.AddSingleton<IGrainStorage>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IGrainIndex>(sp => sp.GetRequiredService<TStore>());
    }
}
