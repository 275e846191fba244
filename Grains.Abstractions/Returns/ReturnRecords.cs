namespace OzonActors.Returns;

/// <summary>One line of a delivered order, as the marketplace reports it.</summary>
public sealed record OrderLine(
    string LineId, string ProductId, string Name, ProductCategory Category, decimal Price, int Quantity,
    bool TechnicallyComplex, int? WarrantyDays);

/// <summary>A delivered order (POST /api/internal/orders).</summary>
public sealed record DeliveredOrder(
    string OrderId, Guid CustomerId, Guid SellerId, DateTimeOffset DeliveredAt, bool CrossBorder, IReadOnlyList<OrderLine> Lines);

/// <summary>A delivered order with what is left to return of each line.</summary>
public sealed record OrderView(
    string OrderId, Guid CustomerId, Guid SellerId, DateTimeOffset DeliveredAt, bool CrossBorder, IReadOnlyList<OrderLineView> Lines);

/// <summary>An order line and how many of it are not yet in a return.</summary>
public sealed record OrderLineView(
    string LineId, string ProductId, string Name, ProductCategory Category, decimal Price, int Quantity, int ReturnableQuantity,
    bool TechnicallyComplex, int? WarrantyDays);

/// <summary>Who does something to a request: a role and, for people, their id (an Ozon ID, or the seller's company).</summary>
/// <param name="Role">The party.</param>
/// <param name="Id">The customer's or moderator's Ozon ID, or the seller's company id; null for the system.</param>
/// <param name="AccountId">For a seller, the employee's account.</param>
public sealed record ReturnActor(ReturnActorRole Role, Guid? Id, Guid? AccountId = null)
{
    /// <summary>A deadline passed.</summary>
    public static ReturnActor System { get; } = new(ReturnActorRole.System, null);

    /// <summary>The marketplace's automatic processing.</summary>
    public static ReturnActor Marketplace { get; } = new(ReturnActorRole.Marketplace, null);

    /// <summary>A customer by Ozon ID.</summary>
    public static ReturnActor Customer(Guid ozonId) => new(ReturnActorRole.Customer, ozonId);

    /// <summary>An employee of a seller company.</summary>
    public static ReturnActor Seller(Guid companyId, Guid accountId) => new(ReturnActorRole.Seller, companyId, accountId);

    /// <summary>A moderator by Ozon ID.</summary>
    public static ReturnActor Moderator(Guid ozonId) => new(ReturnActorRole.Moderator, ozonId);
}

/// <summary>A customer's new request for one delivered order line.</summary>
public sealed record CreateReturn(
    string OrderId, string LineId, int Quantity, string Reason, ReturnQuality Quality, IReadOnlyList<string> Photos, string? Comment);

/// <summary>An action on a request with its arguments; only those the action needs are set.</summary>
public sealed record ReturnCommand(ReturnAction Action, ReturnActor Actor)
{
    /// <summary>OfferCompensation: the amount in rubles.</summary>
    public decimal? Amount { get; init; }

    /// <summary>Reject, RejectRefund: why.</summary>
    public string? Reason { get; init; }

    /// <summary>Reject of a technically complex product: the seller asks for a service-center conclusion.</summary>
    public bool RequireServiceCenterConclusion { get; init; }

    /// <summary>Message: the chat text.</summary>
    public string? Text { get; init; }

    /// <summary>Ship: the parcel's tracking number.</summary>
    public string? TrackingNumber { get; init; }

    /// <summary>OpenDispute: the topic.</summary>
    public string? Topic { get; init; }

    /// <summary>Refund: delivery cost the seller refunds too.</summary>
    public decimal? DeliveryCost { get; init; }

    /// <summary>DecideDispute: for whom.</summary>
    public DisputeSide? InFavorOf { get; init; }
}

/// <summary>One status change: what it became, when, by whom and through which action (null for a timeout).</summary>
public sealed record ReturnHistoryEntry(
    ReturnStatus Status, DateTimeOffset At, ReturnActorRole By, Guid? ById, Guid? ByAccountId, string? Action, string? Note);

/// <summary>A chat message in the request.</summary>
public sealed record ReturnMessage(ReturnActorRole From, Guid? ById, string Text, DateTimeOffset At);

/// <summary>A partial compensation offer.</summary>
public sealed record CompensationOffer(decimal Amount, DateTimeOffset At, ReturnActorRole By, OfferOutcome Outcome);

/// <summary>
/// A dispute: its stage, topic, who opened it and, once decided, for whom; the seller's answer and when it came; and
/// whether moderators are overdue with their decision after it.
/// </summary>
public sealed record ReturnDispute(
    DisputeStage Stage, string Topic, DateTimeOffset OpenedAt, ReturnActorRole OpenedBy, DisputeSide? DecidedFor,
    string? SellerReply = null, DateTimeOffset? RepliedAt = null, bool OverdueForModerators = false);

/// <summary>A seller's rejection, before or after receipt.</summary>
public sealed record ReturnRejection(string Reason, bool ServiceCenterConclusionRequired, DateTimeOffset At);

/// <summary>The money owed to the customer when the request ends in a refund or an accepted compensation.</summary>
public sealed record ReturnRefund(decimal ItemsAmount, decimal DeliveryCost, decimal Total, string Kind);

/// <summary>A return request as its parties see it.</summary>
public sealed record ReturnRequestView(
    Guid Id, string OrderId, string LineId, string ProductName, ProductCategory Category, Guid SellerId, Guid CustomerId,
    decimal Price, int Quantity, ReturnQuality Quality, string Reason, string? Comment, IReadOnlyList<string> Photos,
    ReturnStatus Status, DisputeStage? DisputeStage, ReturnActorRole? NextActor, DateTimeOffset? DueAt, ReturnProcessor ProcessedBy,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<CompensationOffer> CompensationOffers, string? TrackingNumber, DateTimeOffset? ShippedAt, DateTimeOffset? ReceivedAt,
    bool CrossBorder, IReadOnlyList<string> Notes, ReturnRejection? Rejection, ReturnDispute? Dispute, ReturnRefund? Refund,
    IReadOnlyList<ReturnHistoryEntry> History, IReadOnlyList<ReturnMessage> Messages,
    IReadOnlyDictionary<ReturnActorRole, IReadOnlyList<ReturnAction>> AllowedActions);

/// <summary>A request as the lists show it (and live events carry it); <c>PendingOffer</c> is the offer awaiting the customer.</summary>
public sealed record ReturnSummary(
    Guid Id, string OrderId, string LineId, string ProductName, Guid SellerId, Guid CustomerId, decimal Price, int Quantity,
    ReturnQuality Quality, string Reason, ReturnStatus Status, DisputeStage? DisputeStage, ReturnActorRole? NextActor,
    DateTimeOffset? DueAt, ReturnProcessor ProcessedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? TrackingNumber,
    decimal? RefundTotal, IReadOnlyDictionary<ReturnActorRole, IReadOnlyList<ReturnAction>> AllowedActions, decimal? PendingOffer = null);

/// <summary>The live event of a status change.</summary>
public sealed record ReturnStatusChanged(ReturnSummary Request, ReturnStatus? From, ReturnActorRole By);

/// <summary>The live event of a chat message.</summary>
public sealed record ReturnMessagePosted(Guid ReturnId, ReturnMessage Message);

/// <summary>How moderators treat a seller's return requests.</summary>
public sealed record SellerReturnSettings(Guid SellerId, bool PreModerated, DateTimeOffset? ChangedAt, Guid? ChangedBy);
