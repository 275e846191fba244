using System.Globalization;
using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>RULES §1: offers of at least 1 RUB and at most the amount less 1 RUB, at most two per request.</summary>
public sealed class CompensationOfferTests : ReturnsTest
{
    [Theory]
    [InlineData("1")]
    [InlineData("19999")]
    [InlineData("9999.99")]
    public async Task An_offer_between_one_ruble_and_the_amount_less_one_ruble_is_made(string amount)
    {
        var offer = decimal.Parse(amount, CultureInfo.InvariantCulture);
        var request = await Returns.NewRequestAsync(price: 10_000m, quantity: 2);

        var offered = await Returns.ActAsync(request.Id, Returns.Command(ReturnAction.OfferCompensation) with { Amount = offer });

        Assert.Equal((ReturnStatus.PartialCompensationOffered, offer), (offered.Status, Assert.Single(offered.CompensationOffers).Amount));
        Assert.Equal((ReturnActorRole.Seller, OfferOutcome.Pending), (offered.CompensationOffers[0].By, offered.CompensationOffers[0].Outcome));
    }

    [Theory]
    [InlineData("0.99")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("19999.01")]
    [InlineData("20000")]
    [InlineData("100.005")]
    [InlineData(null)]
    public async Task An_offer_outside_the_bounds_is_refused_as_bad_input(string? amount)
    {
        var request = await Returns.NewRequestAsync(price: 10_000m, quantity: 2);

        var error = await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "invalid-amount", () => Returns.ActAsync(request.Id,
            Returns.Command(ReturnAction.OfferCompensation) with
            {
                Amount = amount is null ? null : decimal.Parse(amount, CultureInfo.InvariantCulture),
            }));

        Assert.Contains("between 1 and 19999 RUB", error.Message, StringComparison.Ordinal);
        Assert.Equal(ReturnStatus.New, (await Returns.GetAsync(request.Id)).Status);
    }

    [Fact]
    public async Task A_third_offer_is_a_conflict_and_no_longer_offered_to_the_seller()
    {
        var request = await Returns.IntoAsync(Spot.AwaitingClarification);
        await Returns.ActAsync(request.Id, ReturnAction.OfferCompensation);
        var twice = await Returns.ActAsync(request.Id, ReturnAction.RefuseCompensation);
        Assert.Equal((ReturnStatus.AwaitingClarification, 2), (twice.Status, twice.CompensationOffers.Count));
        Assert.DoesNotContain(ReturnAction.OfferCompensation, twice.AllowedActions[ReturnActorRole.Seller]);

        await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "offer-limit", () => Returns.ActAsync(request.Id, ReturnAction.OfferCompensation));

        Assert.Equal(ReturnStatus.Approved, (await Returns.ActAsync(request.Id, ReturnAction.Approve)).Status);
    }
}
