using OzonActors.Gateway.Auth;
using OzonActors.Gateway.Live;
using OzonActors.OzonId;

namespace OzonActors.Gateway.Tests.Live;

public sealed class LiveGroupsTests
{
    private static readonly Guid OzonId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid CompanyId = Guid.Parse("22222222-2222-2222-2222-222222222222");

    [Fact]
    public void A_company_scoped_token_joins_only_its_company()
    {
        var caller = new Caller(OzonId, Guid.NewGuid(), "d", CompanyId, Guid.NewGuid(), CompanyRole.Employee, IsModerator: false);

        Assert.Equal(["seller:22222222-2222-2222-2222-222222222222"], LiveGroups.For(caller));
    }

    [Fact]
    public void An_unscoped_token_joins_its_customer_and_manager_groups()
    {
        var caller = new Caller(OzonId, Guid.NewGuid(), "d", null, null, null, IsModerator: false);

        Assert.Equal(
            ["customer:11111111-1111-1111-1111-111111111111", "manager:11111111-1111-1111-1111-111111111111"],
            LiveGroups.For(caller));
    }

    [Fact]
    public void A_moderator_also_joins_the_moderators()
    {
        var customer = new Caller(OzonId, Guid.NewGuid(), "d", null, null, null, IsModerator: true);
        var seller = new Caller(OzonId, Guid.NewGuid(), "d", CompanyId, Guid.NewGuid(), CompanyRole.Director, IsModerator: true);

        Assert.Equal(LiveAudiences.Moderators, LiveGroups.For(customer)[^1]);
        Assert.Equal(["seller:22222222-2222-2222-2222-222222222222", "moderators"], LiveGroups.For(seller));
    }
}
