using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>RULES §1, "Who processes it": lines of at most 1,800 RUB get an automatic offer; a refusal approves.</summary>
public sealed class MarketplaceProcessingTests : ReturnsTest
{
    [Fact]
    public async Task A_line_of_at_most_1800_rubles_gets_an_automatic_offer_of_half_its_amount()
    {
        var request = await Returns.NewRequestAsync(price: 1_800m, quantity: 3);

        Assert.Equal((ReturnProcessor.Marketplace, ReturnStatus.PartialCompensationOffered), (request.ProcessedBy, request.Status));
        Assert.Equal(new CompensationOffer(2_700m, Returns.Now, ReturnActorRole.Marketplace, OfferOutcome.Pending), Assert.Single(request.CompensationOffers));
        Assert.Equal(
            [(ReturnStatus.New, ReturnActorRole.Customer, "Create"), (ReturnStatus.PartialCompensationOffered, ReturnActorRole.Marketplace, "OfferCompensation")],
            request.History.Select(e => (e.Status, e.By, e.Action)));
        Assert.Equal((ReturnActorRole.Customer, Returns.Now + TimeSpan.FromDays(3)), (request.NextActor, request.DueAt));
    }

    [Theory]
    [InlineData("1000.01", 1, "500.01")] // 500.005: half up, not to even (500.00) nor truncated (500.00)
    [InlineData("1234.57", 1, "617.29")] // 617.285: half up, not to even (617.28)
    [InlineData("333.35", 3, "500.03")] // 1,000.05 × 0.5 = 500.025: the amount of the whole line is halved, then rounded
    public async Task Half_of_an_odd_kopeck_amount_is_rounded_half_up_to_kopecks(string price, int quantity, string offer)
    {
        var expected = decimal.Parse(offer, System.Globalization.CultureInfo.InvariantCulture);

        var request = await Returns.NewRequestAsync(price: decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), quantity: quantity);

        Assert.Equal((ReturnStatus.PartialCompensationOffered, expected), (request.Status, Assert.Single(request.CompensationOffers).Amount));
        Assert.Equal($"{expected} RUB", request.History[^1].Note);
        var accepted = await Returns.ActAsync(request.Id, ReturnAction.AcceptCompensation);
        Assert.Equal(expected, accepted.Refund!.Total);
    }

    [Fact]
    public async Task A_line_above_1800_rubles_waits_for_the_seller()
    {
        var request = await Returns.NewRequestAsync(price: 1_800.01m);

        Assert.Equal((ReturnProcessor.Seller, ReturnStatus.New, ReturnActorRole.Seller), (request.ProcessedBy, request.Status, request.NextActor));
        Assert.Empty(request.CompensationOffers);
    }

    [Fact]
    public async Task The_customer_refusing_the_automatic_offer_gets_the_return_approved()
    {
        var request = await Returns.IntoAsync(Spot.MarketplaceOffer);

        var approved = await Returns.ActAsync(request.Id, ReturnAction.RefuseCompensation);

        Assert.Equal((ReturnStatus.Approved, ReturnActorRole.Customer), (approved.Status, approved.History[^1].By));
        Assert.Equal(OfferOutcome.Refused, Assert.Single(approved.CompensationOffers).Outcome);
    }

    [Fact]
    public async Task An_automatic_offer_left_unanswered_for_three_days_approves_the_return()
    {
        var approved = await TimeoutLeadsToAsync(Spot.MarketplaceOffer, TimeSpan.FromDays(3), ReturnStatus.Approved);

        Assert.Equal(OfferOutcome.Expired, Assert.Single(approved.CompensationOffers).Outcome);
    }

    [Fact]
    public async Task Accepting_the_automatic_offer_refunds_half_the_amount()
    {
        var request = await Returns.IntoAsync(Spot.MarketplaceOffer);

        var accepted = await Returns.ActAsync(request.Id, ReturnAction.AcceptCompensation);

        Assert.Equal((ReturnStatus.PartialCompensationApproved, 500m), (accepted.Status, accepted.Refund!.Total));
    }

    [Fact]
    public async Task Nobody_takes_the_decision_side_of_a_request_the_marketplace_processes()
    {
        var request = await Returns.IntoAsync(Spot.MarketplaceOffer);
        var approved = await Returns.ActAsync(request.Id, ReturnAction.RefuseCompensation);

        foreach (var action in (ReturnAction[])[ReturnAction.Approve, ReturnAction.Reject, ReturnAction.OfferCompensation])
        {
            var error = await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "invalid-transition", () => Returns.ActAsync(approved.Id, action));
            Assert.Contains("status Approved", error.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(ReturnActorRole.Seller, approved.AllowedActions.Where(p => p.Value.Contains(ReturnAction.Approve)).Select(p => p.Key));
    }

    [Fact]
    public async Task A_line_too_cheap_for_a_one_ruble_offer_is_approved_at_once()
    {
        var request = await Returns.NewRequestAsync(price: 1.50m);

        Assert.Equal((ReturnStatus.Approved, ReturnActorRole.Marketplace), (request.Status, request.History[^1].By));
        Assert.Empty(request.CompensationOffers);
    }
}
