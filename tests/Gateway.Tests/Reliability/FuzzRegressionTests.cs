using System.Net;
using OzonActors.Gateway.Tests.Support;

namespace OzonActors.Gateway.Tests.Reliability;

/// <summary>Defects the endpoint fuzz found, each pinned by the request that showed it.</summary>
public sealed class FuzzRegressionTests
{
    [Fact]
    public async Task Pre_moderating_a_seller_id_that_is_no_company_is_a_404_and_leaves_nothing_to_read()
    {
        using var factory = new GatewayFactory();
        var api = factory.CreateApi();
        var moderator = await api.LoginAsync(GatewayFactory.ModeratorPhone);
        var path = $"/api/moderation/sellers/{Guid.NewGuid()}/pre-moderation";

        var refused = await api.SendAsync(HttpMethod.Put, path, moderator.AccessToken, new { enabled = true }, HttpStatusCode.NotFound);
        Assert.Equal("https://ozon-actors/errors/company-not-found", refused.ProblemType());
        await api.SendAsync(HttpMethod.Get, path, moderator.AccessToken, null, HttpStatusCode.NotFound);

        // A real seller is still pre-moderated as before.
        var seller = await api.NewSellerAsync();
        var set = await api.SendAsync(HttpMethod.Put, $"/api/moderation/sellers/{seller.CompanyId}/pre-moderation", moderator.AccessToken,
            new { enabled = true }, HttpStatusCode.OK);
        Assert.True(set["preModerated"]!.GetValue<bool>());
    }
}
