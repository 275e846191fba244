using OzonActors.Returns;

namespace OzonActors.Grains.Returns;

/// <summary>Where a request stands, as far as the transition rules care.</summary>
/// <param name="Status">The current status.</param>
/// <param name="ProcessedBy">Who holds the decision side.</param>
/// <param name="DisputeStage">The open dispute's stage, when <paramref name="Status"/> is DisputeOpened.</param>
/// <param name="Arrived">In a transit dispute: the parcel has reached the seller.</param>
/// <param name="Answered">In a dispute: the seller has answered it.</param>
public readonly record struct ReturnPosition(
    ReturnStatus Status, ReturnProcessor ProcessedBy, DisputeStage? DisputeStage = null, bool Arrived = false, bool Answered = false);

/// <summary>
/// The three stage tables of RULES §1 as pure functions: which action leads where, what a timeout leads to, who
/// acts next and how long a status may wait. The grain applies them; it adds only the checks that need its data
/// (amounts, the offer count, the day-15 transit window).
/// </summary>
public static class ReturnWorkflow
{
    private static readonly ReturnAction[] AllActions = Enum.GetValues<ReturnAction>();

    /// <summary>Statuses a request never leaves.</summary>
    public static bool IsTerminal(ReturnStatus status) => status is ReturnStatus.PartialCompensationApproved
        or ReturnStatus.Overdue or ReturnStatus.RejectedDisputeNotOpened or ReturnStatus.RejectedByOzon
        or ReturnStatus.CanceledByCustomer or ReturnStatus.CanceledDueToCustomerInaction
        or ReturnStatus.RejectedByMutualConsent or ReturnStatus.Refund;

    /// <summary>The role that may take <paramref name="action"/> on a request processed by <paramref name="processedBy"/>.</summary>
    public static ReturnActorRole? Performer(ReturnAction action, ReturnProcessor processedBy) => action switch
    {
        ReturnAction.Approve or ReturnAction.Reject or ReturnAction.OfferCompensation => DecisionSide(processedBy),
        ReturnAction.AcceptCompensation or ReturnAction.RefuseCompensation or ReturnAction.Cancel or ReturnAction.Ship
            or ReturnAction.OpenDispute => ReturnActorRole.Customer,
        ReturnAction.ConfirmReceived or ReturnAction.Refund or ReturnAction.RejectRefund => ReturnActorRole.Seller,
        ReturnAction.DecideDispute => ReturnActorRole.Moderator,
        ReturnAction.ReplyToDispute => ReturnActorRole.Seller,
        ReturnAction.Message => null, // any party: see CanMessage
        _ => null,
    };

    /// <summary>Who decides the request stage: the seller, a moderator for a pre-moderated seller; nobody for the marketplace.</summary>
    public static ReturnActorRole? DecisionSide(ReturnProcessor processedBy) => processedBy switch
    {
        ReturnProcessor.Seller => ReturnActorRole.Seller,
        ReturnProcessor.Moderator => ReturnActorRole.Moderator,
        _ => null,
    };

    /// <summary>The chat is open to the customer, the seller and moderators until the request ends.</summary>
    public static bool CanMessage(ReturnStatus status, ReturnActorRole role) =>
        !IsTerminal(status) && role is ReturnActorRole.Customer or ReturnActorRole.Seller or ReturnActorRole.Moderator;

    /// <summary>
    /// The status <paramref name="action"/> leads to from <paramref name="at"/>, or null when the status does not allow it.
    /// A dispute decision needs <paramref name="side"/>.
    /// </summary>
    public static ReturnStatus? Target(ReturnPosition at, ReturnAction action, DisputeSide? side = null) => (at.Status, action) switch
    {
        (ReturnStatus.New or ReturnStatus.AwaitingClarificationWithSeller or ReturnStatus.AwaitingClarification, ReturnAction.Approve)
            when at.ProcessedBy != ReturnProcessor.Marketplace => ReturnStatus.Approved,
        (ReturnStatus.New or ReturnStatus.AwaitingClarificationWithSeller or ReturnStatus.AwaitingClarification, ReturnAction.Reject)
            when at.ProcessedBy != ReturnProcessor.Marketplace => ReturnStatus.RejectedBySeller,
        (ReturnStatus.New or ReturnStatus.AwaitingClarificationWithSeller or ReturnStatus.AwaitingClarification, ReturnAction.OfferCompensation)
            when at.ProcessedBy != ReturnProcessor.Marketplace => ReturnStatus.PartialCompensationOffered,
        (ReturnStatus.New, ReturnAction.Message) => ReturnStatus.AwaitingClarificationWithSeller,
        (_, ReturnAction.Message) when !IsTerminal(at.Status) => at.Status,

        (ReturnStatus.PartialCompensationOffered, ReturnAction.AcceptCompensation) => ReturnStatus.PartialCompensationApproved,
        (ReturnStatus.PartialCompensationOffered, ReturnAction.RefuseCompensation) => AfterRefusal(at.ProcessedBy),
        (ReturnStatus.New or ReturnStatus.AwaitingClarificationWithSeller or ReturnStatus.PartialCompensationOffered
            or ReturnStatus.AwaitingClarification or ReturnStatus.Approved, ReturnAction.Cancel) => ReturnStatus.CanceledByCustomer,
        (ReturnStatus.Approved, ReturnAction.Ship) => ReturnStatus.ReturnOnTheWay,
        (ReturnStatus.RejectedBySeller or ReturnStatus.ReturnOnTheWay or ReturnStatus.RejectedAfterReceipt, ReturnAction.OpenDispute) =>
            ReturnStatus.DisputeOpened,

        (ReturnStatus.ReturnOnTheWay, ReturnAction.ConfirmReceived) => ReturnStatus.ReceivedBySeller,
        (ReturnStatus.DisputeOpened, ReturnAction.ConfirmReceived) when at is { DisputeStage: DisputeStage.Transit, Arrived: false } =>
            ReturnStatus.DisputeOpened,
        (ReturnStatus.ReceivedBySeller, ReturnAction.Refund) => ReturnStatus.Refund,
        (ReturnStatus.ReceivedBySeller, ReturnAction.RejectRefund) => ReturnStatus.RejectedAfterReceipt,

        (ReturnStatus.DisputeOpened, ReturnAction.DecideDispute) => Decision(at, side),
        (ReturnStatus.DisputeOpened, ReturnAction.ReplyToDispute) when AwaitsSellerAnswer(at) => ReturnStatus.DisputeOpened,
        _ => null,
    };

    /// <summary>
    /// An open dispute the seller may still answer: one whose timeout would decide it for the customer (not a transit
    /// dispute whose parcel has not arrived), not answered yet.
    /// </summary>
    public static bool AwaitsSellerAnswer(ReturnPosition at) =>
        at is { Status: ReturnStatus.DisputeOpened, Answered: false } && at is not { DisputeStage: DisputeStage.Transit, Arrived: false };

    /// <summary>The stage a dispute opened from <paramref name="status"/> belongs to.</summary>
    public static DisputeStage? DisputeStageFrom(ReturnStatus status) => status switch
    {
        ReturnStatus.RejectedBySeller => DisputeStage.Request,
        ReturnStatus.ReturnOnTheWay => DisputeStage.Transit,
        ReturnStatus.RejectedAfterReceipt => DisputeStage.Receipt,
        _ => null,
    };

    /// <summary>What a passed deadline leads to, or null when the status has no deadline.</summary>
    public static ReturnStatus? TimeoutTarget(ReturnPosition at) => at.Status switch
    {
        ReturnStatus.New or ReturnStatus.AwaitingClarificationWithSeller or ReturnStatus.AwaitingClarification => ReturnStatus.Approved,
        ReturnStatus.PartialCompensationOffered => AfterRefusal(at.ProcessedBy),
        ReturnStatus.Approved => ReturnStatus.Overdue,
        ReturnStatus.RejectedBySeller => ReturnStatus.RejectedDisputeNotOpened,
        ReturnStatus.ReturnOnTheWay => ReturnStatus.DisputeOpened,
        ReturnStatus.DisputeOpened when at is { DisputeStage: DisputeStage.Transit, Arrived: false } => null,

        // RULES §1: once the seller has answered, there is no automatic decision; moderators decide.
        ReturnStatus.DisputeOpened when at.Answered => null,
        ReturnStatus.DisputeOpened => Decision(at, DisputeSide.Customer),
        ReturnStatus.ReceivedBySeller => ReturnStatus.Refund,
        ReturnStatus.RejectedAfterReceipt => ReturnStatus.RejectedByMutualConsent,
        _ => null,
    };

    /// <summary>
    /// When the status's deadline falls: <paramref name="enteredAt"/> (or the creation, or the shipment, or the
    /// parcel's arrival) plus the status's duration; null for statuses without one.
    /// </summary>
    /// <remarks><paramref name="answeredAt"/>: in a dispute the seller answered, when; the moderators' overdue mark falls from it.</remarks>
    public static DateTimeOffset? DueAt(
        ReturnPosition at, DateTimeOffset enteredAt, DateTimeOffset createdAt, DateTimeOffset? shippedAt, DateTimeOffset? arrivedAt,
        ReturnsOptions options, DateTimeOffset? answeredAt = null)
    {
        var deadlines = options.Deadlines;
        return at.Status switch
        {
            ReturnStatus.New => enteredAt + deadlines.New,
            ReturnStatus.AwaitingClarificationWithSeller => createdAt + deadlines.AwaitingClarificationWithSeller,
            ReturnStatus.PartialCompensationOffered => enteredAt + deadlines.PartialCompensationOffered,
            ReturnStatus.AwaitingClarification => enteredAt + deadlines.AwaitingClarification,
            ReturnStatus.Approved => enteredAt + deadlines.Approved,
            ReturnStatus.RejectedBySeller => enteredAt + deadlines.RejectedBySeller,
            ReturnStatus.ReturnOnTheWay => (shippedAt ?? enteredAt) + options.Transit.AutoDisputeAfter,
            ReturnStatus.DisputeOpened when at is { DisputeStage: DisputeStage.Transit, Arrived: false } => null,
            ReturnStatus.DisputeOpened when at.Answered => answeredAt is { } answered ? answered + deadlines.DisputeModeratorOverdue : null,
            ReturnStatus.DisputeOpened => Later(enteredAt, at.Arrived ? arrivedAt : null) + deadlines.DisputeOpened,
            ReturnStatus.ReceivedBySeller => enteredAt + deadlines.ReceivedBySeller,
            ReturnStatus.RejectedAfterReceipt => enteredAt + deadlines.RejectedAfterReceipt,
            _ => null,
        };
    }

    /// <summary>Who is expected to act next; null once the request has ended.</summary>
    public static ReturnActorRole? NextActor(ReturnPosition at) => at.Status switch
    {
        ReturnStatus.New or ReturnStatus.AwaitingClarificationWithSeller or ReturnStatus.AwaitingClarification =>
            DecisionSide(at.ProcessedBy),
        ReturnStatus.PartialCompensationOffered or ReturnStatus.Approved or ReturnStatus.RejectedBySeller
            or ReturnStatus.RejectedAfterReceipt => ReturnActorRole.Customer,
        ReturnStatus.ReturnOnTheWay or ReturnStatus.ReceivedBySeller => ReturnActorRole.Seller,
        ReturnStatus.DisputeOpened when AwaitsSellerAnswer(at) => ReturnActorRole.Seller,
        ReturnStatus.DisputeOpened => ReturnActorRole.Moderator,
        _ => null,
    };

    /// <summary>The actions each role may take now, by the table alone (the grain narrows them with its data).</summary>
    public static IReadOnlyDictionary<ReturnActorRole, IReadOnlyList<ReturnAction>> AllowedActions(ReturnPosition at)
    {
        var allowed = new Dictionary<ReturnActorRole, IReadOnlyList<ReturnAction>>();
        foreach (var role in (ReadOnlySpan<ReturnActorRole>)[ReturnActorRole.Customer, ReturnActorRole.Seller, ReturnActorRole.Moderator])
        {
            var actions = AllActions.Where(action => MayAct(at, action, role)).ToArray();
            if (actions.Length > 0)
            {
                allowed[role] = actions;
            }
        }

        return allowed;
    }

    /// <summary>True when <paramref name="role"/> may take <paramref name="action"/> at <paramref name="at"/> by the table.</summary>
    public static bool MayAct(ReturnPosition at, ReturnAction action, ReturnActorRole role) => action == ReturnAction.Message
        ? CanMessage(at.Status, role)
        : Performer(action, at.ProcessedBy) == role
            && Target(at, action, action == ReturnAction.DecideDispute ? DisputeSide.Customer : null) is not null;

    private static ReturnStatus AfterRefusal(ReturnProcessor processedBy) =>
        processedBy == ReturnProcessor.Marketplace ? ReturnStatus.Approved : ReturnStatus.AwaitingClarification;

    private static ReturnStatus? Decision(ReturnPosition at, DisputeSide? side) => (at.DisputeStage, side) switch
    {
        (DisputeStage.Request, DisputeSide.Customer) => ReturnStatus.Approved,
        (DisputeStage.Transit or DisputeStage.Receipt, DisputeSide.Customer) => ReturnStatus.Refund,
        (DisputeStage.Transit, DisputeSide.Seller) when !at.Arrived => null,
        (_, DisputeSide.Seller) => ReturnStatus.RejectedByOzon,
        _ => null,
    };

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } value && value > a ? value : a;
}
