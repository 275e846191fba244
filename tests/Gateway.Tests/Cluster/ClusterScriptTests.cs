using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Cluster;

/// <summary>
/// <c>scripts/cluster.sh</c>, as an operator runs it: <c>up</c> starts PostgreSQL, two silos and a client gateway on
/// loopback without Docker, the gateway serves, <c>status</c> tells, <c>down</c> stops everything (silos leave the
/// membership table).
/// </summary>
public sealed class ClusterScriptTests
{
    [Fact]
    public async Task Up_starts_postgres_silos_and_a_client_gateway_that_serves_and_down_stops_them_all()
    {
        var directory = Directory.CreateTempSubdirectory("ozon-cluster-script-");
        var ports = new Dictionary<string, string>
        {
            ["OZON_CLUSTER_DIR"] = directory.FullName,
            ["OZON_CLUSTER_BUILD"] = "0",
            ["OZON_CLUSTER_CONFIGURATION"] = GatewayProcess.BuildConfiguration,
            ["OZON_PG_PORT"] = Port(),
            ["OZON_HTTP_PORT"] = Port(),
            ["OZON_SILO_HTTP_PORT"] = TwoPorts(),
            ["OZON_SILO_PORT"] = TwoPorts(),
            ["OZON_ORLEANS_GATEWAY_PORT"] = TwoPorts(),
            ["OzonId__MaxSendsPerAddressPerHour"] = "100000",
        };

        try
        {
            var up = await RunAsync(ports, "up", "2", "1");
            Assert.True(up.ExitCode == 0, up.Output);
            Assert.Contains("gateway1 ready", up.Output, StringComparison.Ordinal);

            var api = new ApiClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports["OZON_HTTP_PORT"]}/") });
            var customer = await api.LoginAsync(ApiClient.NewPhone());
            Assert.NotEqual(Guid.Empty, customer.OzonId);

            var connection = $"Host=127.0.0.1;Port={ports["OZON_PG_PORT"]};Username=postgres;Database=postgres";
            Assert.Equal([3, 3], await StatusesAsync(connection));

            var status = await RunAsync(ports, "status");
            Assert.Contains("silo2: running", status.Output, StringComparison.Ordinal);
            Assert.Contains("postgres: running", status.Output, StringComparison.Ordinal);
        }
        finally
        {
            var down = await RunAsync(ports, "down");
            Assert.True(down.ExitCode == 0, down.Output);
            var status = await RunAsync(ports, "status");
            Assert.DoesNotContain("running", status.Output, StringComparison.Ordinal);
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Up_refuses_a_port_another_process_holds_instead_of_reporting_that_process_as_ready()
    {
        var directory = Directory.CreateTempSubdirectory("ozon-cluster-script-");
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var ports = new Dictionary<string, string>
        {
            ["OZON_CLUSTER_DIR"] = directory.FullName,
            ["OZON_CLUSTER_BUILD"] = "0",
            ["OZON_CLUSTER_CONFIGURATION"] = GatewayProcess.BuildConfiguration,
            ["OZON_PG_PORT"] = Port(),
            ["OZON_HTTP_PORT"] = ((IPEndPoint)squatter.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            var up = await RunAsync(ports, "up", "0", "1");
            Assert.NotEqual(0, up.ExitCode);
            Assert.Contains($"port {ports["OZON_HTTP_PORT"]} on 127.0.0.1 is taken", up.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("ready", up.Output, StringComparison.Ordinal);
        }
        finally
        {
            await RunAsync(ports, "down");
            directory.Delete(recursive: true);
        }
    }

    private static async Task<List<int>> StatusesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM ozon.orleansmembershiptable ORDER BY status", connection);
        var statuses = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return statuses;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(GatewayProcess.RepositoryRoot(), "scripts", "cluster.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string Port() => GatewayProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A port free on loopback together with the next one: the script gives silo i the base + i − 1.</summary>
    private static string TwoPorts()
    {
        while (true)
        {
            var port = GatewayProcess.FreePort();
            try
            {
                using var next = new TcpListener(IPAddress.Loopback, port + 1);
                next.Start();
                return port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (SocketException)
            {
                // The next port is taken: try another pair.
            }
        }
    }
}
