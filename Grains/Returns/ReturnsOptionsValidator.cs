using Microsoft.Extensions.Options;

namespace OzonActors.Grains.Returns;

/// <summary>Checks <see cref="ReturnsOptions"/> at start, naming the key and the value of each failure.</summary>
public sealed class ReturnsOptionsValidator : IValidateOptions<ReturnsOptions>
{
    public ValidateOptionsResult Validate(string? name, ReturnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var d = options.Deadlines;
        foreach (var (key, value) in new[]
        {
            (nameof(d.New), d.New), (nameof(d.AwaitingClarificationWithSeller), d.AwaitingClarificationWithSeller),
            (nameof(d.PartialCompensationOffered), d.PartialCompensationOffered), (nameof(d.AwaitingClarification), d.AwaitingClarification),
            (nameof(d.Approved), d.Approved), (nameof(d.RejectedBySeller), d.RejectedBySeller), (nameof(d.DisputeOpened), d.DisputeOpened),
            (nameof(d.DisputeModeratorOverdue), d.DisputeModeratorOverdue),
            (nameof(d.ReceivedBySeller), d.ReceivedBySeller), (nameof(d.RejectedAfterReceipt), d.RejectedAfterReceipt),
        })
        {
            Require(failures, value > TimeSpan.Zero, $"Deadlines:{key}", value, "must be a positive duration");
        }

        var t = options.Transit;
        Require(failures, t.CustomerDisputeAfter > TimeSpan.Zero, "Transit:CustomerDisputeAfter", t.CustomerDisputeAfter, "must be a positive duration");
        Require(failures, t.AutoDisputeAfter > t.CustomerDisputeAfter, "Transit:AutoDisputeAfter", t.AutoDisputeAfter,
            "must be longer than Returns:Transit:CustomerDisputeAfter");
        Require(failures, options.MarketplaceProcessingMaxPrice >= 0, "MarketplaceProcessingMaxPrice", options.MarketplaceProcessingMaxPrice, "must not be negative");
        Require(failures, options.MarketplaceCompensationShare is > 0 and < 1, "MarketplaceCompensationShare", options.MarketplaceCompensationShare,
            "must be between 0 and 1, exclusive");
        Require(failures, options.MaxDeliveryCost >= 0, "MaxDeliveryCost", options.MaxDeliveryCost, "must not be negative");
        Require(failures, options.MinCompensation > 0, "MinCompensation", options.MinCompensation, "must be positive");
        Require(failures, options.MaxCompensationOffers > 0, "MaxCompensationOffers", options.MaxCompensationOffers, "must be positive");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, bool condition, string key, object value, string rule)
    {
        if (!condition)
        {
            failures.Add($"{ReturnsOptions.Section}:{key} {rule} (was '{value}').");
        }
    }
}
