using OzonActors.Gateway.Tests.Live;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Cluster;

/// <summary>
/// The scaled-out shape, as real processes on loopback: two <c>Silo</c> processes and two client gateways
/// (<c>Gateway:Silo = Client</c>, no grains of their own) on one fresh PostgreSQL database, for one test class.
/// </summary>
public sealed class ScaledCluster : IAsyncLifetime
{
    /// <summary>A new request's New-status deadline: long enough to act on it first, short enough to watch it fire.</summary>
    public static readonly TimeSpan NewDeadline = TimeSpan.FromSeconds(20);

    private readonly PostgresDatabase _database = new();

    public IReadOnlyList<GatewayProcess> Silos { get; private set; } = [];

    public IReadOnlyList<GatewayProcess> Gateways { get; private set; } = [];

    public string ConnectionString => _database.ConnectionString;

    public ApiClient Api(int gateway) => new(Gateways[gateway].CreateClient());

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _database.ConnectionString,
            ["OzonId:MaxSendsPerAddressPerHour"] = "100000",
            ["OzonId:PhoneCodeInterval"] = "00:00:00",
            ["Returns:Deadlines:New"] = NewDeadline.ToString(),
        };

        // The first silo migrates the schema; the others join its cluster.
        var first = await GatewayProcess.StartSiloAsync(settings);
        Silos = [first, await GatewayProcess.StartSiloAsync(settings)];
        var client = new Dictionary<string, string?>(settings) { ["Gateway:Silo"] = "Client" };
        Gateways = await Task.WhenAll(GatewayProcess.StartAsync(client), GatewayProcess.StartAsync(client));
        await NodeScripts.EnsureInstalledAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var process in Gateways.Concat(Silos))
        {
            await process.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    /// <summary>What every process printed, for a failure message.</summary>
    public string Describe() => string.Join("\n", Silos.Select((s, i) => $"--- silo {i + 1} ---\n{Tail(s.Output)}")
        .Concat(Gateways.Select((g, i) => $"--- gateway {i + 1} ---\n{Tail(g.Output)}")));

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];
}
