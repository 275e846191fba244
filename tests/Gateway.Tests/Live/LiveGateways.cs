using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Live;

/// <summary>Two real gateway processes sharing one fresh PostgreSQL database, for one test class.</summary>
public sealed class LiveGateways : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();

    public GatewayProcess First { get; private set; } = null!;

    public GatewayProcess Second { get; private set; } = null!;

    public ApiClient Api(GatewayProcess gateway) => new(gateway.CreateClient());

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _database.ConnectionString,
            ["OzonId:MaxSendsPerAddressPerHour"] = "100000",
            ["OzonId:PhoneCodeInterval"] = "00:00:00",
        };

        // The second starts after the first, so the schema is migrated once, as in a rolling start.
        First = await GatewayProcess.StartAsync(settings);
        Second = await GatewayProcess.StartAsync(settings);
        await NodeScripts.EnsureInstalledAsync();
    }

    public async Task DisposeAsync()
    {
        if (Second is not null)
        {
            await Second.DisposeAsync();
        }

        if (First is not null)
        {
            await First.DisposeAsync();
        }

        await _database.DisposeAsync();
    }
}
