using System.Globalization;
using System.Net;
using Npgsql;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.OzonId;

/// <summary>
/// Issue 12, "rows that grow forever": login challenges, refresh sessions and send quotas were kept for good. Each now
/// has a retention rule (a challenge a day past its code's expiry, a session a day past its end, a quota once its last
/// send left the hour), applied by the retention loop, so under churn the tables stay bounded.
/// </summary>
public sealed class RetentionTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly string[] Churning = ["login-challenge", "refresh-session", "send-quota"];

    [Fact]
    public async Task Challenges_sessions_and_quotas_of_logins_that_ended_are_deleted_so_churn_stays_bounded()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Orleans:SiloPort"] = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans:AdvertisedIP"] = "127.0.0.1",
        });
        var api = factory.CreateApi();
        var kept = await api.LoginAsync(ApiClient.NewPhone()); // a session that goes on

        for (var round = 0; round < 3; round++)
        {
            await ChurnAsync(api, logins: 10);
            Assert.All(Churning, type => Assert.True(CountAsync(type).Result >= 10, type));

            factory.Time.Advance(TimeSpan.FromDays(2));
            await factory.Services.RunRetentionAsync();

            // Only what the live session still needs is left, round after round.
            Assert.Equal(0, await CountAsync("login-challenge"));
            Assert.Equal(0, await CountAsync("send-quota"));
            Assert.Equal(1, await CountAsync("refresh-session"));
            kept = await api.RefreshAsync(kept);
        }

        await api.SendAsync(HttpMethod.Get, "/api/me", kept.AccessToken, null, HttpStatusCode.OK);
    }

    /// <summary>Logins that end: a code, a login, one refresh, a logout.</summary>
    private static async Task ChurnAsync(ApiClient api, int logins)
    {
        for (var i = 0; i < logins; i++)
        {
            var tokens = await api.RefreshAsync(await api.LoginAsync(ApiClient.NewPhone()));
            await api.SendAsync(HttpMethod.Post, "/api/auth/logout", tokens.AccessToken, null, HttpStatusCode.NoContent);
        }
    }

    private async Task<long> CountAsync(string grainType)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM ozon.grain_state WHERE grain_type = $1", connection);
        command.Parameters.AddWithValue(grainType);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
