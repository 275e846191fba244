using Microsoft.Extensions.Options;
using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>Every number of RULES §1 is an option (<c>Returns:*</c>), read by the grains and checked at start.</summary>
public sealed class OptionsTests
{
    [Fact]
    public async Task The_grains_follow_the_configured_deadlines_and_limits()
    {
        await using var returns = await ReturnsHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Returns:Deadlines:New"] = "02:00:00",
            ["Returns:MarketplaceProcessingMaxPrice"] = "20000",
            ["Returns:MarketplaceCompensationShare"] = "0.3",
        });

        var request = await returns.NewRequestAsync(price: 10_000m);
        Assert.Equal((ReturnProcessor.Marketplace, 3_000m), (request.ProcessedBy, request.CompensationOffers[0].Amount));

        await using var other = await ReturnsHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Returns:Deadlines:New"] = "02:00:00",
            ["Returns:MaxDeliveryCost"] = "100",
        });
        var fresh = await other.NewRequestAsync();
        Assert.Equal(other.Now.AddHours(2), fresh.DueAt);
        await other.AdvanceAsync(TimeSpan.FromHours(2));
        Assert.Equal(ReturnStatus.Approved, (await other.StoredAsync(fresh.Id)).Status);

        var received = await other.IntoAsync(Spot.ReceivedBySeller);
        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "invalid-delivery-cost",
            () => other.ActAsync(received.Id, other.Command(ReturnAction.Refund) with { DeliveryCost = 100.01m }));
    }

    [Fact]
    public async Task A_runtime_with_an_invalid_returns_option_does_not_start_and_names_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ReturnsHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Returns:Deadlines:Approved"] = "-1.00:00:00",
        }));

        Assert.Contains("Returns:Deadlines:Approved", error.Message, StringComparison.Ordinal);
    }
}
