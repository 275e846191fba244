using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>A request exists only for its customer, its seller and moderators: anyone else gets a 404.</summary>
public sealed class PartyTests : ReturnsTest
{
    public static TheoryData<string> Outsiders() => ["another customer", "another seller", "the system"];

    private static ReturnActor Outsider(string who) => who switch
    {
        "another customer" => ReturnActor.Customer(Guid.NewGuid()),
        "another seller" => ReturnActor.Seller(Guid.NewGuid(), Guid.NewGuid()),
        _ => ReturnActor.System,
    };

    [Theory]
    [MemberData(nameof(Outsiders))]
    public async Task Someone_not_party_to_a_request_can_neither_see_nor_act_on_it(string who)
    {
        var request = await Returns.NewRequestAsync();
        var outsider = Outsider(who);

        await ReturnsHarness.FailsAsync(DomainErrorKind.NotFound, "return-not-found", () => Returns.GetAsync(request.Id, outsider));
        await ReturnsHarness.FailsAsync(DomainErrorKind.NotFound, "return-not-found",
            () => Returns.ActAsync(request.Id, outsider.Role == ReturnActorRole.Customer ? ReturnAction.Cancel : ReturnAction.Approve, outsider));
        await ReturnsHarness.FailsAsync(DomainErrorKind.NotFound, "return-not-found",
            () => Returns.ActAsync(request.Id, ReturnAction.Message, outsider));
        Assert.Equal(ReturnStatus.New, (await Returns.GetAsync(request.Id)).Status);
    }

    [Fact]
    public async Task The_customer_the_seller_any_of_its_employees_and_any_moderator_see_the_request()
    {
        var request = await Returns.NewRequestAsync();

        foreach (var viewer in new[]
        {
            Returns.Customer, Returns.Seller, ReturnActor.Seller(Returns.SellerId, Guid.NewGuid()), ReturnActor.Moderator(Guid.NewGuid()),
        })
        {
            Assert.Equal(request.Id, (await Returns.GetAsync(request.Id, viewer)).Id);
        }
    }

    [Fact]
    public async Task A_request_never_created_is_not_found_for_anyone()
    {
        var id = Guid.NewGuid();

        await ReturnsHarness.FailsAsync(DomainErrorKind.NotFound, "return-not-found", () => Returns.GetAsync(id));
        await ReturnsHarness.FailsAsync(DomainErrorKind.NotFound, "return-not-found", () => Returns.GetAsync(id, Returns.Moderator));
        await ReturnsHarness.FailsAsync(DomainErrorKind.NotFound, "return-not-found", () => Returns.ActAsync(id, ReturnAction.Approve));
    }

    [Theory]
    [InlineData(ReturnAction.Approve, "customer")]
    [InlineData(ReturnAction.Ship, "seller")]
    [InlineData(ReturnAction.ConfirmReceived, "customer")]
    [InlineData(ReturnAction.DecideDispute, "seller")]
    public async Task A_party_taking_another_partys_action_is_forbidden(ReturnAction action, string who)
    {
        var request = await Returns.NewRequestAsync();
        var actor = who == "customer" ? Returns.Customer : Returns.Seller;

        await ReturnsHarness.FailsAsync(DomainErrorKind.Forbidden, "not-your-action", () => Returns.ActAsync(request.Id, action, actor));
    }
}
