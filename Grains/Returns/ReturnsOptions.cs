namespace OzonActors.Grains.Returns;

/// <summary>Return-request rules (configuration section <c>Returns</c>); defaults are the values of RULES §1.</summary>
public sealed class ReturnsOptions
{
    public const string Section = "Returns";

    /// <summary>How long a request may wait in each waiting status before its timeout rule applies.</summary>
    public ReturnDeadlines Deadlines { get; set; } = new();

    public ReturnTransitOptions Transit { get; set; } = new();

    /// <summary>Lines priced at most this (per unit, RUB) are processed by the marketplace with an automatic offer.</summary>
    public decimal MarketplaceProcessingMaxPrice { get; set; } = 1800m;

    /// <summary>The marketplace's automatic offer, as a share of the returned amount.</summary>
    public decimal MarketplaceCompensationShare { get; set; } = 0.5m;

    /// <summary>The most delivery cost a seller may refund with the price (RUB).</summary>
    public decimal MaxDeliveryCost { get; set; } = 5000m;

    /// <summary>The least compensation offer (RUB); the most is the returned amount less this.</summary>
    public decimal MinCompensation { get; set; } = 1m;

    /// <summary>Offers per request.</summary>
    public int MaxCompensationOffers { get; set; } = 2;
}

/// <summary>Deadlines per waiting status (<c>Returns:Deadlines:{Status}</c>).</summary>
public sealed class ReturnDeadlines
{
    public TimeSpan New { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Counted from the request's creation, not from the seller's message.</summary>
    public TimeSpan AwaitingClarificationWithSeller { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan PartialCompensationOffered { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan AwaitingClarification { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan Approved { get; set; } = TimeSpan.FromDays(4);

    public TimeSpan RejectedBySeller { get; set; } = TimeSpan.FromDays(5);

    /// <summary>The seller's deadline to answer a dispute; when it passes unanswered the dispute is decided for the customer.</summary>
    public TimeSpan DisputeOpened { get; set; } = TimeSpan.FromDays(3);

    /// <summary>After the seller's answer: when moderators, who decide from then on, are marked overdue (chosen: 3 days).</summary>
    public TimeSpan DisputeModeratorOverdue { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan ReceivedBySeller { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan RejectedAfterReceipt { get; set; } = TimeSpan.FromDays(5);
}

/// <summary>The transit stage (<c>Returns:Transit</c>).</summary>
public sealed class ReturnTransitOptions
{
    /// <summary>From this long in transit (day 15) the customer may open a "Where is the refund" dispute.</summary>
    public TimeSpan CustomerDisputeAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>After this long in transit the marketplace opens the dispute itself.</summary>
    public TimeSpan AutoDisputeAfter { get; set; } = TimeSpan.FromDays(31);
}
