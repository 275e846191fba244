using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Cluster;

/// <summary>
/// A client gateway (<c>Gateway:Silo = Client</c>) starts without any silo, says so on <c>/health/ready</c> and with 503s,
/// and follows silos as they come, go and come back, by itself.
/// </summary>
public sealed class ClientGatewayTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_client_gateway_is_unready_without_silos_and_reconnects_by_itself_when_they_come_and_go()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["OzonId:MaxSendsPerAddressPerHour"] = "100000",
        };
        await using var gateway = await GatewayProcess.StartUnreadyAsync(new Dictionary<string, string?>(settings) { ["Gateway:Silo"] = "Client" });
        Assert.False(gateway.HasExited, gateway.Output);
        using var http = gateway.CreateClient();

        // No silo yet: live, not ready, and a request is a retryable 503, not a 500.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("health/live", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("health/ready", UriKind.Relative))).StatusCode);
        using (var refused = await http.PostAsJsonAsync("/api/auth/code", new { phone = ApiClient.NewPhone(), channel = "Sms" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains("cluster-unavailable", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A silo starts: the gateway finds it in the membership table and serves.
        await using var silo = await GatewayProcess.StartSiloAsync(settings);
        Assert.True(await WaitForReadyAsync(http, HttpStatusCode.OK, TimeSpan.FromSeconds(60)), gateway.Output);
        var api = new ApiClient(http);
        var customer = await api.LoginAsync(ApiClient.NewPhone());

        // The only silo dies: unready again. It comes back: ready, and what was written before is there.
        await silo.KillAsync();
        Assert.True(await WaitForReadyAsync(http, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30)), gateway.Output);
        await silo.RestartAsync();
        Assert.True(await WaitForReadyAsync(http, HttpStatusCode.OK, TimeSpan.FromSeconds(60)), gateway.Output);
        var refreshed = await api.RefreshAsync(customer);
        Assert.Equal(customer.OzonId, refreshed.OzonId);
    }

    [Theory]
    [InlineData("Client", false, "needs ConnectionStrings:Postgres")]
    [InlineData("Sideways", true, "Gateway:Silo must be 'CoHosted' or 'Client', not 'Sideways'")]
    public async Task A_gateway_with_an_impossible_silo_mode_refuses_to_start_and_says_why(string mode, bool withDatabase, string message)
    {
        var settings = new Dictionary<string, string?> { ["Gateway:Silo"] = mode };
        if (withDatabase)
        {
            settings["ConnectionStrings:Postgres"] = database.ConnectionString;
        }

        await using var gateway = await GatewayProcess.StartUnreadyAsync(settings);
        Assert.Equal(2, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(message, gateway.Output, StringComparison.Ordinal);
    }

    private static async Task<bool> WaitForReadyAsync(HttpClient http, HttpStatusCode expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
            if (response.StatusCode == expected)
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
