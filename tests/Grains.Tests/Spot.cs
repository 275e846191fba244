using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>
/// A place in the stage tables a test can drive a request into: a status and, where it matters, the dispute stage,
/// the parcel's arrival or the marketplace's processing.
/// </summary>
public enum Spot
{
    New,
    AwaitingClarificationWithSeller,
    PartialCompensationOffered,
    MarketplaceOffer,
    AwaitingClarification,
    PartialCompensationApproved,
    Approved,
    RejectedBySeller,
    Overdue,
    RejectedDisputeNotOpened,
    RequestDispute,
    RejectedByOzon,
    CanceledByCustomer,
    ReturnOnTheWay,
    TransitDispute,
    TransitDisputeArrived,
    ReceivedBySeller,
    RejectedAfterReceipt,
    RejectedByMutualConsent,
    ReceiptDispute,
    Refund,
}

/// <summary>
/// The stage tables of RULES §1 written out independently of the code under test: the status of each spot and the
/// actions the table lets its parties take there.
/// </summary>
public static class Table
{
    public static IReadOnlyList<Spot> Spots { get; } = Enum.GetValues<Spot>();

    public static IReadOnlyList<ReturnAction> Actions { get; } = Enum.GetValues<ReturnAction>();

    public static ReturnStatus StatusOf(Spot spot) => spot switch
    {
        Spot.MarketplaceOffer => ReturnStatus.PartialCompensationOffered,
        Spot.RequestDispute or Spot.TransitDispute or Spot.TransitDisputeArrived or Spot.ReceiptDispute => ReturnStatus.DisputeOpened,
        _ => Enum.Parse<ReturnStatus>(spot.ToString()),
    };

    public static DisputeStage? StageOf(Spot spot) => spot switch
    {
        Spot.RequestDispute => DisputeStage.Request,
        Spot.TransitDispute or Spot.TransitDisputeArrived => DisputeStage.Transit,
        Spot.ReceiptDispute => DisputeStage.Receipt,
        _ => null,
    };

    /// <summary>What the table allows at <paramref name="spot"/> (opening a transit dispute also waits for day 15).</summary>
    public static IReadOnlySet<ReturnAction> Allowed(Spot spot) => spot switch
    {
        Spot.New or Spot.AwaitingClarificationWithSeller or Spot.AwaitingClarification =>
            Set(ReturnAction.Approve, ReturnAction.Reject, ReturnAction.OfferCompensation, ReturnAction.Message, ReturnAction.Cancel),
        Spot.PartialCompensationOffered or Spot.MarketplaceOffer =>
            Set(ReturnAction.AcceptCompensation, ReturnAction.RefuseCompensation, ReturnAction.Cancel, ReturnAction.Message),
        Spot.Approved => Set(ReturnAction.Ship, ReturnAction.Cancel, ReturnAction.Message),
        Spot.RejectedBySeller or Spot.RejectedAfterReceipt => Set(ReturnAction.OpenDispute, ReturnAction.Message),
        Spot.RequestDispute or Spot.TransitDisputeArrived or Spot.ReceiptDispute =>
            Set(ReturnAction.DecideDispute, ReturnAction.ReplyToDispute, ReturnAction.Message),
        Spot.ReturnOnTheWay => Set(ReturnAction.OpenDispute, ReturnAction.ConfirmReceived, ReturnAction.Message),
        Spot.TransitDispute => Set(ReturnAction.ConfirmReceived, ReturnAction.DecideDispute, ReturnAction.Message),
        Spot.ReceivedBySeller => Set(ReturnAction.Refund, ReturnAction.RejectRefund, ReturnAction.Message),
        _ => Set(),
    };

    /// <summary>Every (spot, action) pair the table forbids.</summary>
    public static TheoryData<Spot, ReturnAction> Forbidden()
    {
        var data = new TheoryData<Spot, ReturnAction>();
        foreach (var spot in Spots)
        {
            foreach (var action in Actions.Where(a => !Allowed(spot).Contains(a)))
            {
                data.Add(spot, action);
            }
        }

        return data;
    }

    public static TheoryData<Spot> AllSpots()
    {
        var data = new TheoryData<Spot>();
        foreach (var spot in Spots)
        {
            data.Add(spot);
        }

        return data;
    }

    private static HashSet<ReturnAction> Set(params ReturnAction[] actions) => [.. actions];
}
