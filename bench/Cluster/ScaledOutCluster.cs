using System.Globalization;
using Npgsql;
using OzonActors.Bench.Live;
using OzonActors.Testing;

namespace OzonActors.Bench.Cluster;

/// <summary>
/// The scaled-out shape as real processes on loopback, on one PostgreSQL database: standalone <c>Silo</c> processes and
/// client gateways (<c>Gateway</c> with <c>Gateway:Silo = Client</c>: an Orleans client of the silos in the membership
/// table, no grains of its own). Disposing kills every process it started (SIGKILL), whatever state they are in.
/// </summary>
internal sealed class ScaledOutCluster : IAsyncDisposable
{
    private readonly List<GatewayProcess> _silos = [];
    private readonly List<GatewayProcess> _gateways = [];

    private ScaledOutCluster(string connectionString, IReadOnlyDictionary<string, string?> settings)
    {
        ConnectionString = connectionString;
        Settings = settings;
        Schema = settings.TryGetValue("Storage:Schema", out var schema) && schema is { Length: > 0 } ? schema : "ozon";
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public IReadOnlyList<GatewayProcess> Silos => _silos;

    public IReadOnlyList<GatewayProcess> Gateways => _gateways;

    public string ConnectionString { get; }

    /// <summary>The configuration every process got (<see cref="CommonSettings"/> plus the scenario's).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The schema of the runtime's tables (<c>Storage:Schema</c>, <c>ozon</c> by default).</summary>
    public string Schema { get; }

    /// <summary>For the bench's own reads of the membership table, the state and the event log.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// What every process of a bench cluster needs: the database, a login-code quota per client address that many logins
    /// from 127.0.0.1 do not exhaust, and access tokens that outlive a long run. <paramref name="overrides"/> (the
    /// <c>--set</c> ones and the scenario's) win.
    /// </summary>
    public static Dictionary<string, string?> CommonSettings(string connectionString, IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["OzonId:MaxSendsPerAddressPerHour"] = "1000000",
            ["OzonId:PhoneCodeInterval"] = "00:00:00",
            ["Gateway:Jwt:AccessTokenLifetime"] = "02:00:00",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>
    /// Starts <paramref name="silos"/> silo processes one after the other (the first migrates the schema; each is Active
    /// when its start returns), then <paramref name="gateways"/> client gateways (each ready once it reaches a silo). If
    /// any start fails, the processes already started are killed before the exception leaves.
    /// </summary>
    public static async Task<ScaledOutCluster> StartAsync(
        string scenario, string connectionString, int silos, int gateways, IReadOnlyDictionary<string, string?> settings)
    {
        var cluster = new ScaledOutCluster(connectionString, settings);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                Report.Progress($"{scenario}: starting silo {i + 1} of {silos} ...");
                cluster._silos.Add(await GatewayProcess.StartSiloAsync(settings));
            }

            var client = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase) { ["Gateway:Silo"] = "Client" };
            for (var i = 0; i < gateways; i++)
            {
                Report.Progress($"{scenario}: starting client gateway {i + 1} of {gateways} ...");
                cluster._gateways.Add(await GatewayProcess.StartAsync(client));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>"silo 1 (port 40123)" for reports.</summary>
    public string Name(GatewayProcess silo) =>
        $"silo {_silos.IndexOf(silo) + 1} (port {silo.SiloPort.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>CPU seconds the silos and the gateways have spent so far (the live processes, from /proc).</summary>
    public (double Silos, double Gateways) CpuSeconds() =>
        (_silos.Where(p => !p.HasExited).Sum(ProcessCpuSeconds), _gateways.Where(p => !p.HasExited).Sum(ProcessCpuSeconds));

    /// <summary>The last lines every process printed, for a failure message.</summary>
    public string Describe() =>
        string.Join('\n', _silos.Select((s, i) => $"--- silo {i + 1} ---\n{Tail(s.Output)}")
            .Concat(_gateways.Select((g, i) => $"--- gateway {i + 1} ---\n{Tail(g.Output)}")));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _gateways.Concat(_silos))
        {
            try
            {
                await process.DisposeAsync();
            }
            catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                Report.Progress($"Could not kill a process: {exception.Message}");
            }
        }

        await DataSource.DisposeAsync();
    }

    private static double ProcessCpuSeconds(GatewayProcess process) =>
        ProcessUsage.CpuSeconds(GatewayMemory.FindProcess(process.BaseAddress)) ?? 0;

    private static string Tail(string output) => output.Length <= 3000 ? output : output[^3000..];
}
