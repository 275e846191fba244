using OzonActors.Grains.Returns;

namespace OzonActors.Gateway.Tests.Returns;

public sealed class ReturnsOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new ReturnsOptionsValidator().Validate(null, new ReturnsOptions()).Succeeded);
    }

    [Fact]
    public void A_bad_value_is_refused_with_its_key_and_value()
    {
        var options = new ReturnsOptions { MarketplaceCompensationShare = 1.5m };
        options.Deadlines.Approved = TimeSpan.Zero;
        options.Transit.AutoDisputeAfter = TimeSpan.FromDays(10);

        var failures = new ReturnsOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains("Returns:Deadlines:Approved must be a positive duration (was '00:00:00').", failures);
        Assert.Contains(failures, f => f.StartsWith("Returns:MarketplaceCompensationShare", StringComparison.Ordinal) && f.Contains("'1.5'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Returns:Transit:AutoDisputeAfter", StringComparison.Ordinal));
        Assert.Equal(3, failures.Count);
    }

    [Fact]
    public async Task The_gateway_does_not_start_with_a_bad_returns_setting()
    {
        using var factory = new Support.GatewayFactory(new Dictionary<string, string?> { ["Returns:Deadlines:New"] = "-1.00:00:00" });

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await factory.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative)));
        Assert.Contains("Returns:Deadlines:New", failure.ToString(), StringComparison.Ordinal);
    }
}
