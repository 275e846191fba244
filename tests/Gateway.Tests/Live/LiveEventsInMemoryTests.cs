using System.Net;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Live;

/// <summary>Live events on the embedded default (in-memory storage, no PostgreSQL): pushed on local commits, replayed from memory.</summary>
public sealed class LiveEventsInMemoryTests
{
    [Fact]
    public async Task On_the_in_memory_default_events_are_pushed_and_replayed()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OzonId:MaxSendsPerAddressPerHour"] = "100000",
            ["OzonId:PhoneCodeInterval"] = "00:00:00",
        });
        var api = new ApiClient(gateway.CreateClient());
        var seller = await api.NewSellerAsync();

        await using (var live = await NodeClient.StartAsync(gateway.BaseAddress, seller.Tokens.AccessToken, "--expect", "2", "--timeout", "30000"))
        {
            await live.ReadyAsync();
            await InviteAsync(api, seller, "first@example.com");
            await InviteAsync(api, seller, "second@example.com");
            var done = await live.FinishedAsync(TimeSpan.FromSeconds(30));
            Assert.True(NodeClient.Kind(done) == "done", live.Describe());
            Assert.All(live.Applied, l => Assert.Equal("live", l["via"]!.GetValue<string>()));
        }

        await InviteAsync(api, seller, "third@example.com");
        await using var replay = await NodeClient.StartAsync(gateway.BaseAddress, seller.Tokens.AccessToken, "--expect", "3", "--timeout", "30000");
        var replayed = await replay.FinishedAsync(TimeSpan.FromSeconds(30));
        Assert.True(NodeClient.Kind(replayed) == "done", replay.Describe());
        Assert.Equal(
            ["first@example.com", "second@example.com", "third@example.com"],
            replay.Applied.Select(l => NodeClient.Event(l)["data"]!["email"]!.GetValue<string>()));
    }

    private static Task InviteAsync(ApiClient api, Seller seller, string email) =>
        api.SendAsync(HttpMethod.Post, $"/api/companies/{seller.CompanyId}/invitations", seller.Tokens.AccessToken,
            new { email, role = "Employee" }, HttpStatusCode.Created);
}
