using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests;

public sealed class HealthTests : IClassFixture<PostgresDatabase>
{
    private readonly PostgresDatabase _database;

    public HealthTests(PostgresDatabase database) => _database = database;

    [Fact]
    public async Task The_embedded_default_is_live_and_ready()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task On_postgres_the_gateway_is_ready_once_migrated()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.UseSetting("ConnectionStrings:Postgres", _database.ConnectionString));
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task When_storage_stops_answering_the_gateway_is_live_but_not_ready()
    {
        // A database of its own: the test takes it away from under the running gateway.
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Postgres", connectionString);
            web.UseSetting("Orleans:SiloPort", GatewayProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:GatewayPort", GatewayProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:AdvertisedIP", "127.0.0.1");
            web.ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5)));
        });
        try
        {
            using var client = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

            await PostgresServer.DropDatabaseAsync(connectionString);

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        }
        finally
        {
            // With its membership table gone, the silo cannot leave the cluster gracefully: its stop may run out of time.
            try
            {
                await factory.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
