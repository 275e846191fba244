namespace OzonActors.Returns;

/// <summary>Every status of a return request (RULES §1), across the request, transit and receipt stages.</summary>
public enum ReturnStatus
{
    /// <summary>Created; the decision side has 1 day.</summary>
    New,
    /// <summary>The seller messaged the customer; the decision is due 3 days from creation.</summary>
    AwaitingClarificationWithSeller,
    /// <summary>A compensation offer awaits the customer for 3 days.</summary>
    PartialCompensationOffered,
    /// <summary>The customer refused the offer; the seller has 3 days to offer again, reject or approve.</summary>
    AwaitingClarification,
    /// <summary>The customer accepted the offer: refund of the amount (terminal).</summary>
    PartialCompensationApproved,
    /// <summary>The customer has 4 days to ship the item.</summary>
    Approved,
    /// <summary>The customer has 5 days to open a dispute.</summary>
    RejectedBySeller,
    /// <summary>The customer did not ship within 4 days (terminal).</summary>
    Overdue,
    /// <summary>Rejected and no dispute within 5 days (terminal).</summary>
    RejectedDisputeNotOpened,
    /// <summary>A moderator decides; see the dispute stage.</summary>
    DisputeOpened,
    /// <summary>A moderator decided for the seller (terminal).</summary>
    RejectedByOzon,
    /// <summary>The customer canceled (terminal).</summary>
    CanceledByCustomer,
    /// <summary>Canceled because the customer did not act (terminal; kept for the seed's status list).</summary>
    CanceledDueToCustomerInaction,
    /// <summary>Shipped; a dispute may be opened from day 15 and is opened after 31 days.</summary>
    ReturnOnTheWay,
    /// <summary>The seller has 7 days to refund or reject the refund.</summary>
    ReceivedBySeller,
    /// <summary>The customer has 5 days to open a dispute.</summary>
    RejectedAfterReceipt,
    /// <summary>Rejected after receipt and no dispute within 5 days (terminal).</summary>
    RejectedByMutualConsent,
    /// <summary>The price (plus delivery cost) is refunded (terminal).</summary>
    Refund,
}

/// <summary>The stage a dispute was opened in: it decides what the moderator's decision leads to.</summary>
public enum DisputeStage
{
    /// <summary>After the seller rejected the request.</summary>
    Request,

    /// <summary>"Where is the refund": the parcel is in transit too long.</summary>
    Transit,

    /// <summary>After the seller rejected the refund on receipt.</summary>
    Receipt,
}

/// <summary>Who processes a request's decision stage.</summary>
public enum ReturnProcessor
{
    /// <summary>The seller decides.</summary>
    Seller,

    /// <summary>Lines of at most 1,800 RUB: an automatic compensation offer, approval if refused.</summary>
    Marketplace,

    /// <summary>The seller is pre-moderated: a moderator decides instead, with the seller's actions.</summary>
    Moderator,
}

/// <summary>A party to a request, or the clock.</summary>
public enum ReturnActorRole
{
    /// <summary>The customer.</summary>
    Customer,
    /// <summary>The seller.</summary>
    Seller,
    /// <summary>A moderator.</summary>
    Moderator,
    /// <summary>The marketplace, processing automatically.</summary>
    Marketplace,
    /// <summary>The clock: a deadline passed.</summary>
    System,
}

/// <summary>What a party can do to a request.</summary>
public enum ReturnAction
{
    // the decision side: the seller, or a moderator for pre-moderated sellers
    /// <summary>Approve the return.</summary>
    Approve,
    /// <summary>Reject the request, with a reason.</summary>
    Reject,
    /// <summary>Offer partial compensation.</summary>
    OfferCompensation,
    /// <summary>Write in the request chat.</summary>
    Message,

    // the customer
    /// <summary>Accept the offer.</summary>
    AcceptCompensation,
    /// <summary>Refuse the offer.</summary>
    RefuseCompensation,
    /// <summary>Cancel the request.</summary>
    Cancel,
    /// <summary>Ship the item with a tracking number.</summary>
    Ship,
    /// <summary>Open a dispute.</summary>
    OpenDispute,

    // the seller on receipt
    /// <summary>The item arrived back.</summary>
    ConfirmReceived,
    /// <summary>Refund the customer.</summary>
    Refund,
    /// <summary>Reject the refund after receipt, with a reason.</summary>
    RejectRefund,

    // a moderator in a dispute
    /// <summary>Decide a dispute.</summary>
    DecideDispute,

    // the seller in a dispute
    /// <summary>The seller's answer to an open dispute, with text: once answered, moderators decide (no automatic decision).</summary>
    ReplyToDispute,
}

/// <summary>The side a moderator decides a dispute for.</summary>
public enum DisputeSide
{
    /// <summary>For the customer.</summary>
    Customer,
    /// <summary>For the seller.</summary>
    Seller,
}

/// <summary>What became of a compensation offer.</summary>
public enum OfferOutcome
{
    /// <summary>Awaiting the customer.</summary>
    Pending,
    /// <summary>Accepted.</summary>
    Accepted,
    /// <summary>Refused.</summary>
    Refused,
    /// <summary>Not answered in time.</summary>
    Expired,
    /// <summary>Ended because the request ended.</summary>
    Withdrawn,
}
