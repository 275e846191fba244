using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OzonActors;
using OzonActors.Runtime;
using OzonActors.Runtime.Activation;
using OzonActors.Runtime.Configuration;
using OzonActors.Runtime.Events;
using OzonActors.Runtime.Hosting;
using OzonActors.Runtime.Reminders;
using OzonActors.Runtime.Storage;
using OzonActors.Runtime.Storage.Memory;
using OzonActors.Runtime.Storage.Postgres;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the grain runtime.</summary>
public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain runtime, bound to the <c>Runtime</c>, <c>Storage</c>, <c>Reminders</c> and <c>Events</c>
    /// sections; <c>ConnectionStrings:Postgres</c> selects PostgreSQL for state, reminders and events, its absence the
    /// in-memory default. A <see cref="TimeProvider"/> registered before this call (a fake one in tests) is kept.
    /// </summary>
    public static IServiceCollection AddGrainRuntime(
        this IServiceCollection services, IConfiguration configuration, Action<GrainRuntimeBuilder> configure)
    {
        var builder = new GrainRuntimeBuilder();
        configure(builder);

        services.AddOptions<RuntimeOptions>().Bind(configuration.GetSection(RuntimeOptions.Section)).ValidateOnStart();
        services.AddOptions<ReminderOptions>().Bind(configuration.GetSection(ReminderOptions.Section)).ValidateOnStart();
        services.AddOptions<EventLogOptions>().Bind(configuration.GetSection(EventLogOptions.Section)).ValidateOnStart();
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Configure(o => o.ConnectionString ??= configuration.GetConnectionString("Postgres") is { Length: > 0 } cs ? cs : null)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RuntimeOptions>, RuntimeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReminderOptions>, ReminderOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventLogOptions>, EventLogOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new GrainTypeRegistry(builder.GrainClasses));
        services.AddSingleton<RuntimeSignals>();
        services.AddSingleton<Catalog>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<Catalog>().Factory);
        services.AddSingleton<GrainCallCodec>();
        services.AddSingleton<ReminderService>();
        services.AddSingleton<EventRetention>();
        services.AddSingleton(sp => new EventFeed(
            sp.GetRequiredService<IEventLog>(), sp.GetRequiredService<RuntimeSignals>(), sp.GetRequiredService<IOptions<EventLogOptions>>()));

        AddStorage(services, configuration);

        services.AddSingleton<GrainRuntimeHost>();
        services.AddHostedService(sp => sp.GetRequiredService<GrainRuntimeHost>());
        services.AddHealthChecks().AddCheck<GrainRuntimeHealthCheck>("grain-runtime", tags: ["ready"]);
        return services;
    }

    private static void AddStorage(IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrEmpty(connectionString))
        {
            services.AddSingleton<MemoryStore>();
            AddProviderViews<MemoryStore>(services);
            return;
        }

        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(storage.ConnectionString);
            builder.ConnectionStringBuilder.SearchPath = storage.Schema;

            // The runtime sends a handful of fixed statements over and over: let the server plan them once per
            // connection, unless the connection string chose otherwise.
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            }
            return builder.Build();
        });
        services.AddSingleton<PostgresStore>();
        services.AddSingleton(sp => new PostgresEventChannel(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Schema,
            sp.GetRequiredService<RuntimeSignals>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PostgresEventChannel>>()));
        AddProviderViews<PostgresStore>(services);
    }

    private static void AddProviderViews<TStore>(IServiceCollection services)
        where TStore : class, IGrainStorage, IReminderTable, IEventLog, IGrainIndex
    {
        services.AddSingleton<IGrainStorage>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IGrainIndex>(sp => sp.GetRequiredService<TStore>());
    }
}
