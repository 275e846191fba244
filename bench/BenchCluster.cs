using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OzonActors.Bench.Grains;
using OzonActors.Testing;

namespace OzonActors.Bench;

/// <summary>Starts the real runtime for a scenario, on the system clock, and owns its PostgreSQL database.</summary>
internal static class BenchCluster
{
    /// <summary>
    /// A <see cref="TestCluster"/> hosting the bench grains, with configuration overrides (the <c>--set</c> ones). The system clock is
    /// registered after the cluster's manual one, so it is the one the runtime resolves: reminders fall due and
    /// activations stamp their idle time on real time, as in production. Runtime warnings go to stderr.
    /// With <paramref name="marketplaceGrains"/> it hosts the marketplace's grains too (<c>AddOzonGrains</c>), with their
    /// options (<c>Returns:...</c>) bound from <paramref name="settings"/> and validated at start, as a silo binds them.
    /// A scenario that needs business time to pass faster than real time passes <paramref name="clock"/> (a
    /// <see cref="ShiftedClock"/>): it is registered instead of the system clock, and still runs at real speed.
    /// </summary>
    public static async Task<TestCluster> StartAsync(
        IReadOnlyDictionary<string, string?> settings, string? connectionString, Action<IServiceCollection>? services = null,
        bool marketplaceGrains = false, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var options = new TestClusterOptions
        {
            ConnectionString = connectionString,
            Grains = grains =>
            {
                grains.AddGrains(typeof(BenchCallGrain).Assembly);
                if (marketplaceGrains)
                {
                    grains.AddOzonGrains();
                }
            },
            Services = s =>
            {
                s.AddSingleton(clock);
                s.AddLogging(logging => logging
                    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                    .AddSimpleConsole(o => o.SingleLine = true));
                if (marketplaceGrains)
                {
                    s.AddOzonGrainOptions(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
                }

                services?.Invoke(s);
            },
        };
        foreach (var (key, value) in settings)
        {
            options.Configuration[key] = value;
        }

        var cluster = await TestCluster.StartAsync(options);
        if (cluster.Services.GetRequiredService<TimeProvider>() != clock)
        {
            await cluster.DisposeAsync();
            throw new InvalidOperationException("The runtime did not pick up the bench's clock; the bench would measure a frozen clock.");
        }

        return cluster;
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
