using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>RULES §1: for a pre-moderated seller a moderator decides new requests instead, with the seller's actions.</summary>
public sealed class PreModerationTests : ReturnsTest
{
    private async Task<ReturnRequestView> PreModeratedRequestAsync()
    {
        var settings = await Returns.Grains.GetGrain<ISellerReturnSettingsGrain>(Returns.SellerId).SetPreModeratedAsync(true, Returns.ModeratorId);
        Assert.Equal(new SellerReturnSettings(Returns.SellerId, true, Returns.Now, Returns.ModeratorId), settings);
        return await Returns.NewRequestAsync();
    }

    [Fact]
    public async Task A_seller_is_not_pre_moderated_until_a_moderator_says_so()
    {
        var settings = await Returns.Grains.GetGrain<ISellerReturnSettingsGrain>(Returns.SellerId).GetAsync();

        Assert.Equal(new SellerReturnSettings(Returns.SellerId, false, null, null), settings);
    }

    [Fact]
    public async Task A_pre_moderated_sellers_new_request_is_processed_by_a_moderator()
    {
        var request = await PreModeratedRequestAsync();

        Assert.Equal((ReturnProcessor.Moderator, ReturnActorRole.Moderator), (request.ProcessedBy, request.NextActor));
        Assert.Contains(ReturnAction.Approve, request.AllowedActions[ReturnActorRole.Moderator]);
        Assert.DoesNotContain(ReturnAction.Approve, request.AllowedActions[ReturnActorRole.Seller]);
    }

    [Theory]
    [InlineData(ReturnAction.Approve)]
    [InlineData(ReturnAction.Reject)]
    [InlineData(ReturnAction.OfferCompensation)]
    public async Task The_seller_may_not_decide_a_pre_moderated_request(ReturnAction action)
    {
        var request = await PreModeratedRequestAsync();

        var error = await ReturnsHarness.FailsAsync(DomainErrorKind.Forbidden, "not-your-action", () => Returns.ActAsync(request.Id, action));

        Assert.Contains("moderator", error.Message, StringComparison.Ordinal);
        Assert.Equal(ReturnStatus.New, (await Returns.GetAsync(request.Id)).Status);
    }

    [Fact]
    public async Task A_moderator_approves_a_pre_moderated_request_and_is_recorded_as_having_done_it()
    {
        var request = await PreModeratedRequestAsync();

        var approved = await Returns.ActAsync(request.Id, ReturnAction.Approve, Returns.Moderator);

        Assert.Equal(ReturnStatus.Approved, approved.Status);
        Assert.Equal((ReturnActorRole.Moderator, Returns.ModeratorId), (approved.History[^1].By, approved.History[^1].ById));
    }

    [Fact]
    public async Task A_moderator_offers_and_after_a_refusal_the_moderator_decides_again()
    {
        var request = await PreModeratedRequestAsync();
        await Returns.ActAsync(request.Id, ReturnAction.OfferCompensation, Returns.Moderator);

        var refused = await Returns.ActAsync(request.Id, ReturnAction.RefuseCompensation);

        Assert.Equal((ReturnStatus.AwaitingClarification, ReturnActorRole.Moderator), (refused.Status, refused.NextActor));
        Assert.Equal(ReturnStatus.RejectedBySeller, (await Returns.ActAsync(request.Id, ReturnAction.Reject, Returns.Moderator)).Status);
    }

    [Fact]
    public async Task The_moderators_message_asks_for_clarification_the_sellers_does_not()
    {
        var request = await PreModeratedRequestAsync();

        Assert.Equal(ReturnStatus.New, (await Returns.ActAsync(request.Id, ReturnAction.Message, Returns.Seller)).Status);
        Assert.Equal(ReturnStatus.AwaitingClarificationWithSeller, (await Returns.ActAsync(request.Id, ReturnAction.Message, Returns.Moderator)).Status);
    }

    [Fact]
    public async Task The_seller_still_handles_the_parcel_of_a_pre_moderated_request()
    {
        var request = await PreModeratedRequestAsync();
        await Returns.ActAsync(request.Id, ReturnAction.Approve, Returns.Moderator);
        await Returns.ActAsync(request.Id, ReturnAction.Ship);

        var received = await Returns.ActAsync(request.Id, ReturnAction.ConfirmReceived, Returns.Seller);

        Assert.Equal((ReturnStatus.ReceivedBySeller, ReturnActorRole.Seller), (received.Status, received.NextActor));
    }

    [Fact]
    public async Task Pre_moderation_applies_to_requests_created_after_it_and_not_to_cheap_lines()
    {
        var before = await Returns.NewRequestAsync();
        await PreModeratedRequestAsync();
        var cheap = await Returns.NewRequestAsync(price: 1_000m);

        Assert.Equal(ReturnProcessor.Seller, (await Returns.GetAsync(before.Id)).ProcessedBy);
        Assert.Equal(ReturnProcessor.Marketplace, cheap.ProcessedBy);

        await Returns.Grains.GetGrain<ISellerReturnSettingsGrain>(Returns.SellerId).SetPreModeratedAsync(false, Returns.ModeratorId);
        Assert.Equal(ReturnProcessor.Seller, (await Returns.NewRequestAsync()).ProcessedBy);
    }
}
