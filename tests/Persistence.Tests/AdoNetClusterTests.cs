using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

/// <summary>
/// The ADO.NET schema (migrations 0007, 0008) under Orleans' real providers: two silo hosts in this process, on one
/// fresh PostgreSQL database, with real time.
/// </summary>
public sealed class AdoNetClusterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Two_silos_on_postgres_join_one_cluster_and_both_are_active_in_the_membership_table()
    {
        await using var cluster = await TwoSilos.StartAsync();

        var statuses = await cluster.MembershipAsync();

        Assert.Equal(2, statuses.Count);
        Assert.All(statuses.Values, status => Assert.Equal(3, status));
        Assert.Equal(new[] { cluster.FirstAddress, cluster.SecondAddress }.Order(StringComparer.Ordinal), statuses.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_deadline_set_by_a_grain_on_the_first_silo_is_handled_on_the_second_after_the_first_stops()
    {
        await using var cluster = await TwoSilos.StartAsync();
        var key = $"failover-{Guid.NewGuid():N}";

        // The first silo never handles it (its handler fails, the deadline stays and its reminder ticks again), so only
        // the second can, and only once the grain is no longer active on the first.
        ClusterDeadlineGrain.RefusingSilos[cluster.FirstSilo] = true;
        var grain = cluster.First.Services.GetRequiredService<IGrainFactory>().GetGrain<IClusterDeadlineGrain>(key);
        Assert.Equal(cluster.FirstSilo, await grain.ScheduleAsync(DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Equal(1, await cluster.ScalarAsync(
            "SELECT count(*) FROM ozon.orleansreminderstable WHERE grainid = $1 AND remindername = 'wake'", $"test-cluster-deadline/{key}"));

        var firstAddress = cluster.FirstAddress;
        await cluster.StopFirstAsync();

        // Real time and real reminders: look at the stored state until the second silo has handled it.
        var handledOn = await cluster.PollAsync(
            () => Inspect.TextAsync(cluster.Database,
                "SELECT state->>'handledOn' FROM ozon.grain_state WHERE grain_type = 'test-cluster-deadline' AND grain_key = $1", key),
            handled => handled is not null);
        Assert.Equal(cluster.SecondSilo, handledOn);
        Assert.Equal(0, await cluster.ScalarAsync(
            "SELECT count(*) FROM ozon.grain_state WHERE grain_type = 'test-cluster-deadline' AND grain_key = $1 AND deadlines <> '{}'::jsonb", key));
        Assert.Equal(0, await cluster.PollAsync(
            () => cluster.ScalarAsync("SELECT count(*) FROM ozon.orleansreminderstable WHERE grainid = $1", $"test-cluster-deadline/{key}"),
            rows => rows == 0));

        // The first silo left the table as Dead (6); the second is still Active (3).
        var statuses = await cluster.MembershipAsync();
        Assert.Equal(6, statuses[firstAddress]);
        Assert.Equal(3, statuses[cluster.SecondAddress]);
    }

    /// <summary>Two silo hosts built the way the Silo program builds one, on a fresh database and a unique cluster.</summary>
    private sealed class TwoSilos : IAsyncDisposable
    {
        private readonly string _clusterId;
        private bool _firstStopped;

        private TwoSilos(string database, string clusterId, IHost first, IHost second)
        {
            Database = database;
            _clusterId = clusterId;
            First = first;
            Second = second;
        }

        public string Database { get; }

        public IHost First { get; }

        public IHost Second { get; }

        public string FirstAddress => AddressOf(First);

        public string SecondAddress => AddressOf(Second);

        /// <summary>The silo's address as a grain prints it (<c>SiloAddress.ToString()</c>, with its generation).</summary>
        public string FirstSilo => First.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

        public string SecondSilo => Second.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

        public static async Task<TwoSilos> StartAsync()
        {
            var database = await PostgresServer.CreateDatabaseAsync("silos");
            var clusterId = $"test-{Guid.NewGuid():N}";
            var serviceId = $"test-{Guid.NewGuid():N}";
            IHost? first = null;
            try
            {
                first = await StartSiloAsync(database, clusterId, serviceId);
                var second = await StartSiloAsync(database, clusterId, serviceId);
                return new TwoSilos(database, clusterId, first, second);
            }
            catch
            {
                if (first is not null)
                {
                    await StopAsync(first);
                }

                await PostgresServer.DropDatabaseAsync(database);
                throw;
            }
        }

        /// <summary>Each silo's status in <c>orleansmembershiptable</c>, by "address:port" (its latest generation).</summary>
        public async Task<Dictionary<string, int>> MembershipAsync()
        {
            await using var connection = new Npgsql.NpgsqlConnection(Database);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                "SELECT address, port, generation, status FROM ozon.orleansmembershiptable WHERE deploymentid = $1 ORDER BY generation",
                connection);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = _clusterId });
            var statuses = new Dictionary<string, int>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                statuses[$"{reader.GetString(0)}:{reader.GetInt32(1)}"] = reader.GetInt32(3);
            }

            return statuses;
        }

        public Task<long> ScalarAsync(string sql, params object[] parameters) => Inspect.ScalarAsync(Database, sql, parameters);

        /// <summary>Reads until <paramref name="done"/> holds, for at most <see cref="Patience"/>.</summary>
        public async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
        {
            var waited = Stopwatch.StartNew();
            while (true)
            {
                var value = await read();
                if (done(value))
                {
                    return value;
                }

                if (waited.Elapsed > Patience)
                {
                    throw new TimeoutException($"Still {value} after {Patience}.");
                }

                await Task.Delay(200);
            }
        }

        /// <summary>A graceful stop of the first silo (its activations deactivate, its membership row turns Dead).</summary>
        public async Task StopFirstAsync()
        {
            if (!_firstStopped)
            {
                _firstStopped = true;
                await StopAsync(First);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await StopAsync(Second);
                await StopFirstAsync();
            }
            finally
            {
                await PostgresServer.DropDatabaseAsync(Database);
            }
        }

        /// <summary>"address:port" as the membership table has it.</summary>
        private static string AddressOf(IHost silo)
        {
            var address = silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            return $"{address.Endpoint.Address}:{address.Endpoint.Port}";
        }

        private static async Task<IHost> StartSiloAsync(string database, string clusterId, string serviceId)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = database,
                ["Orleans:ClusterId"] = clusterId,
                ["Orleans:ServiceId"] = serviceId,
                ["Orleans:SiloPort"] = FreePort(),
                ["Orleans:GatewayPort"] = FreePort(),
                ["Orleans:AdvertisedIP"] = "127.0.0.1",
                ["Reminders:RetryPeriod"] = "00:00:01",
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.UseOrleans(silo => silo.UseOzonClustering(builder.Configuration).AddOzonGrains(builder.Configuration));
            var host = builder.Build();
            try
            {
                using var starting = new CancellationTokenSource(Patience);
                await host.StartAsync(starting.Token);
                return host;
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }

        private static async Task StopAsync(IHost silo)
        {
            using (var stopping = new CancellationTokenSource(Patience))
            {
                await silo.StopAsync(stopping.Token);
            }

            silo.Dispose();
        }

        private static string FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        }
    }
}
