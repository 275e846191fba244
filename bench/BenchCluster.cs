using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Reminders;
using OzonActors.Persistence.Configuration;
using OzonActors.Persistence.Facet;
using OzonActors.Testing;

namespace OzonActors.Bench;

/// <summary>
/// One Orleans silo in the bench process, as <c>Silo/Program.cs</c> builds it: <c>Host.CreateApplicationBuilder</c> +
/// <c>UseOrleans(silo =&gt; silo.UseOzonClustering(cfg).AddOzonGrains(cfg))</c>, so every marketplace grain and every
/// bench grain (this assembly's application part) is hosted. Calls go through the silo's own <see cref="IGrainFactory"/>
/// (a co-hosted client: in-process, no network hop), as the gateway's calls do.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    public BenchSilo(IHost host, string serviceId)
    {
        _host = host;
        ServiceId = serviceId;
    }

    /// <summary>The silo's services (storage, the event feed, options).</summary>
    public IServiceProvider Services => _host.Services;

    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    /// <summary>The Orleans service id: reminders belong to it, so a silo started again with it finds them.</summary>
    public string ServiceId { get; }

    /// <summary>Activations in the cluster now, Orleans' own included (<c>IManagementGrain.GetTotalActivationCount</c>).</summary>
    public Task<int> CountActivationsAsync() => GrainFactory.GetGrain<IManagementGrain>(0).GetTotalActivationCount();

    /// <summary>A graceful stop: activations are deactivated, the silo leaves the membership table.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}

/// <summary>Starts silos for the scenarios, on the system clock unless told otherwise, and owns their PostgreSQL database.</summary>
internal static class BenchCluster
{
    /// <summary>
    /// A silo hosting the marketplace grains and the bench grains, with configuration overrides (the <c>--set</c> ones;
    /// e.g. <c>Returns:...</c> options are bound from them and validated at start, as a silo binds them). With
    /// <paramref name="connectionString"/> it runs on PostgreSQL (<c>ConnectionStrings:Postgres</c>: the facet's store,
    /// ADO.NET clustering and reminders, migrations at start); without, on the in-memory store, localhost clustering and
    /// in-memory reminders. Its ports are free loopback ports and its cluster and service ids are its own (pass
    /// <paramref name="serviceId"/> to start again on the reminders of a silo before it). The system clock is the
    /// <see cref="TimeProvider"/> unless <paramref name="clock"/> (a <see cref="ShiftedClock"/>) is given: registered before
    /// the runtime, it is the one the facet and the grains read, running at real speed, and Orleans' reminder service and
    /// grain timers follow it (its keyed clocks), while Orleans' own machinery stays on the system clock. Warnings go to stderr.
    /// </summary>
    public static async Task<BenchSilo> StartAsync(
        IReadOnlyDictionary<string, string?> settings, string? connectionString, Action<IServiceCollection>? services = null,
        TimeProvider? clock = null, string? serviceId = null, Action<ISiloBuilder>? silo = null)
    {
        clock ??= TimeProvider.System;
        serviceId ??= NewServiceId();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [$"{OzonClusterOptions.Section}:{nameof(OzonClusterOptions.ClusterId)}"] = serviceId,
            [$"{OzonClusterOptions.Section}:{nameof(OzonClusterOptions.ServiceId)}"] = serviceId,
            [$"{OzonClusterOptions.Section}:{nameof(OzonClusterOptions.SiloPort)}"] = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            [$"{OzonClusterOptions.Section}:{nameof(OzonClusterOptions.GatewayPort)}"] = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture),
        };
        if (connectionString is not null)
        {
            configuration["ConnectionStrings:Postgres"] = connectionString;
        }

        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));

        // Registered before the runtime, whose TryAdd keeps it: the facet and the grains read it.
        builder.Services.AddSingleton(clock);
        if (clock != TimeProvider.System)
        {
            // Orleans reads the unkeyed clock too, unless an area has a keyed one: its own machinery (membership heartbeats,
            // activation collection, message timeouts, maintenance loops) stays on the system clock, so a jump of the business
            // clock does not look like a silo that stopped for weeks; the reminder service and grain timers follow the business
            // clock, so a reminder falls due when the clock the grains read says so.
            foreach (var area in SystemAreas)
            {
                builder.Services.AddKeyedSingleton(area, TimeProvider.System);
            }

            foreach (var area in BusinessAreas)
            {
                builder.Services.AddKeyedSingleton(area, clock);
            }
        }

        services?.Invoke(builder.Services);
        builder.UseOrleans(orleans =>
        {
            orleans.UseOzonClustering(builder.Configuration).AddOzonGrains(builder.Configuration);
            silo?.Invoke(orleans);
        });

        var host = builder.Build();
        await host.StartAsync();
        var started = new BenchSilo(host, serviceId);
        if (host.Services.GetRequiredService<TimeProvider>() != clock
            || SystemAreas.Concat(BusinessAreas).Any(area => host.Services.GetKeyedService<TimeProvider>(area) is { } keyed
                && keyed != (BusinessAreas.Contains(area) ? clock : TimeProvider.System) && clock != TimeProvider.System))
        {
            await started.DisposeAsync();
            throw new InvalidOperationException("The silo did not pick up the bench's clocks; the bench would measure another clock.");
        }

        return started;
    }

    /// <summary>Orleans areas kept on the system clock when the grains run on a shifted one.</summary>
    private static readonly string[] SystemAreas =
    [
        TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.Membership, TimeProviderNames.ActivationManagement,
        TimeProviderNames.GrainDirectory,
    ];

    /// <summary>Orleans areas that follow the grains' (shifted) clock: reminders and grain timers.</summary>
    private static readonly string[] BusinessAreas = [ReminderTimeProviderNames.Reminders, TimeProviderNames.Grains];

    /// <summary>A fresh Orleans service (and cluster) id, so that silos of separate runs never share reminders or membership.</summary>
    public static string NewServiceId() => $"bench-{Guid.NewGuid():N}"[..22];

    /// <summary>The name a grain class stores its <c>[DurableState]</c> under (the <c>grain_type</c> of its rows).</summary>
    public static string StateName(Type grainClass) =>
        grainClass.GetConstructors().SelectMany(c => c.GetParameters())
            .Select(p => p.GetCustomAttribute<DurableStateAttribute>()?.Name).FirstOrDefault(name => name is not null)
        ?? throw new InvalidOperationException($"{grainClass.Name} has no [DurableState] constructor parameter.");

    /// <summary>How deadlines fire in this silo: Orleans reminders with the facet's retry period, and Orleans' reminder options.</summary>
    public static string DescribeReminders(IServiceProvider services)
    {
        var deadlines = services.GetRequiredService<IOptions<DeadlineOptions>>().Value;
        var reminders = services.GetRequiredService<IOptions<ReminderOptions>>().Value;
        var table = services.GetRequiredService<IReminderTable>().GetType().Name;
        return $"Deadlines: Orleans reminders ({table}), each ticking at its due instant and then every Reminders:RetryPeriod="
            + $"{deadlines.RetryPeriod} until handled; ReminderOptions: MinimumReminderPeriod={reminders.MinimumReminderPeriod}, "
            + $"RefreshReminderListPeriod={reminders.RefreshReminderListPeriod}, ReminderLoadingWindow={reminders.ReminderLoadingWindow}";
    }

    /// <summary>Creates a fresh database on the test PostgreSQL server, runs <paramref name="body"/> on it, then drops it.</summary>
    public static async Task WithDatabaseAsync(Func<string, Task> body)
    {
        Report.Progress("Preparing PostgreSQL (OZON_TEST_POSTGRES, or a throwaway server) ...");
        var connectionString = await PostgresServer.CreateDatabaseAsync("bench");
        try
        {
            await DescribeAsync(connectionString);
            await body(connectionString);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    /// <summary>The schema the facet's tables (and Orleans' clustering and reminder tables) live in, from the silo's options.</summary>
    public static string Schema(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value.Schema;

    private static async Task DescribeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('max_connections')",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var source = Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable) is { Length: > 0 }
            ? $"server from {PostgresServer.EnvironmentVariable}"
            : "throwaway local server started by tests/Testing";
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Report.Facts(
            $"PostgreSQL {reader.GetString(0)} ({source}, host {builder.Host}): fsync={reader.GetString(1)}, "
                + $"synchronous_commit={reader.GetString(2)}, max_connections={reader.GetString(3)}; client pool max {builder.MaxPoolSize}");
    }
}
