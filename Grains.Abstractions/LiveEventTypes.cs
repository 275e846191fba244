namespace OzonActors;

/// <summary>
/// The type names of live events, as grains emit them and clients receive them. The values are on the wire (event
/// rows, pushed events, web pages): never change one.
/// </summary>
public static class LiveEventTypes
{
    /// <summary>A return request changed status; data: the request, the status it left and who moved it.</summary>
    public const string ReturnStatusChanged = "ReturnStatusChanged";

    /// <summary>A return request changed without a status change (e.g. a transit dispute opened, a message posted); data: the request.</summary>
    public const string ReturnUpdated = "ReturnUpdated";

    /// <summary>A message was posted on a return request; data: the request id and the message.</summary>
    public const string ReturnMessagePosted = "ReturnMessagePosted";

    /// <summary>A seller joined Star Products; data: the status.</summary>
    public const string StarProductsConnected = "StarProductsConnected";

    /// <summary>A seller left Star Products; data: the status.</summary>
    public const string StarProductsDisconnected = "StarProductsDisconnected";

    /// <summary>A seller's free trial ended; data: the status.</summary>
    public const string StarProductsTrialEnded = "StarProductsTrialEnded";

    /// <summary>A reporting period's certificate was issued; data: the certificate.</summary>
    public const string StarProductsCertificateIssued = "StarProductsCertificateIssued";

    /// <summary>
    /// An order arrived after its period's certificate was issued: it became a correction on the certificate in progress
    /// (the issued one is unchanged); data: the correction.
    /// </summary>
    public const string StarProductsCertificateCorrected = "StarProductsCertificateCorrected";

    /// <summary>A seller's Star Products status changed otherwise (a product passed or lost moderation); data: the status.</summary>
    public const string StarProductsUpdated = "StarProductsUpdated";

    /// <summary>A referral manager's spend or pending points changed; data: the summary.</summary>
    public const string ReferralSpendUpdated = "ReferralSpendUpdated";

    /// <summary>
    /// An order of an earlier month changed the spend of the open month (a late receipt or cancellation); data: the
    /// correction (the client reads the summary again).
    /// </summary>
    public const string ReferralSpendCorrected = "ReferralSpendCorrected";

    /// <summary>A referral month was settled; data: the settlement (the client reads the summary again).</summary>
    public const string ReferralMonthSettled = "ReferralMonthSettled";

    /// <summary>A referral ledger entry was added (see <see cref="Referral.LedgerEntryKind"/>); data: the entry.</summary>
    public const string ReferralLedgerEntryAdded = "ReferralLedgerEntryAdded";

    /// <summary>An Ozon ID's phone was changed; data: the new phone, masked.</summary>
    public const string PhoneChanged = "PhoneChanged";

    /// <summary>A company invited an email; data: the invitation (without its token).</summary>
    public const string InvitationCreated = "InvitationCreated";

    /// <summary>An invited account joined a company; data: the member.</summary>
    public const string MemberJoined = "MemberJoined";

    /// <summary>A company deleted one of its accounts; data: the account id and email.</summary>
    public const string AccountDeleted = "AccountDeleted";
}
