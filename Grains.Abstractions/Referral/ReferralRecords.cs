namespace OzonActors.Referral;

/// <summary>The status an order event reports.</summary>
public enum ReferralOrderStatus
{
    /// <summary>The manager placed the order.</summary>
    Placed,

    /// <summary>The manager received it.</summary>
    Received,

    /// <summary>The listed items (all of them for a whole cancellation) were canceled.</summary>
    Canceled,
}

/// <summary>What an order item is; only <see cref="Regular"/> items count toward spend.</summary>
public enum ReferralItemKind
{
    /// <summary>An ordinary product.</summary>
    Regular,

    /// <summary>An Ozon gift certificate (excluded).</summary>
    GiftCertificate,

    /// <summary>Premium subscription renewal (excluded).</summary>
    PremiumRenewal,

    /// <summary>MTPL insurance (excluded).</summary>
    Mtpl,
}

/// <summary>A kind of points movement; every movement is an immutable ledger entry.</summary>
public enum LedgerEntryKind
{
    /// <summary>Points earned in a month, pending until its reward date (no balance change).</summary>
    Earned,

    /// <summary>A month's pending points credited to the balance.</summary>
    Credited,

    /// <summary>A month's pending points annulled for too little spend (no balance change).</summary>
    Annulled,

    /// <summary>A month's pending points below the minimum carried into the next month (no balance change).</summary>
    Carried,

    /// <summary>Points paid for an order.</summary>
    Spent,

    /// <summary>Points withdrawn in rubles (1 point = 1 RUB).</summary>
    Withdrawn,

    /// <summary>A correction: a new entry, never an edit.</summary>
    Correction,
}

/// <summary>Why a month's spend was corrected by an order of another month.</summary>
public enum ReferralCorrectionReason
{
    /// <summary>The order's receipt arrived after its month was settled (or its reward date had come): its spend was added here.</summary>
    LateReceipt,

    /// <summary>Items were canceled after their month's reward date: their spend was deducted here.</summary>
    LateCancellation,
}

/// <summary>
/// A change to the spend of the open month (the first whose reward date has not yet come) made by an order of an earlier
/// month, never by editing a settled month.
/// </summary>
/// <param name="OrderMonth">The month the order was placed and received in (<c>yyyy-MM</c>).</param>
/// <param name="Month">The month whose spend was corrected.</param>
/// <param name="Amount">Rubles added to (positive) or deducted from (negative) that month's spend.</param>
/// <param name="At">The instant of the order event (the receipt or the cancellation).</param>
/// <param name="RecordedAt">When the event arrived.</param>
public sealed record ReferralSpendCorrection(
    string OrderId, ReferralCorrectionReason Reason, string OrderMonth, string Month, decimal Amount, DateTimeOffset At, DateTimeOffset RecordedAt);

/// <summary>One item of an order: its amount in rubles and its kind.</summary>
public sealed record ReferralOrderItem(decimal Amount, ReferralItemKind Kind);

/// <summary>An order event of a manager's own order.</summary>
public sealed record ReferralOrderEvent(
    string OrderId, Guid ManagerId, ReferralOrderStatus Status, DateTimeOffset At, IReadOnlyList<ReferralOrderItem> Items,
    decimal DeliveryCost, decimal PointsUsed, decimal BonusesUsed, bool LegalEntity);

/// <summary>Points earned from referral activity, once per <see cref="EarningId"/>.</summary>
public sealed record ReferralEarning(string EarningId, Guid ManagerId, long Points, DateTimeOffset At);

/// <summary>An immutable points movement; <see cref="BalanceChange"/> summed over the ledger is the balance.</summary>
/// <param name="Month">The month the movement concerns (<c>yyyy-MM</c>), for month-bound movements.</param>
public sealed record LedgerEntry(
    long Sequence, string Key, LedgerEntryKind Kind, long Points, long BalanceChange, long BalanceAfter, string? Month, DateTimeOffset At,
    string? Note);

/// <summary>A manager's figures now.</summary>
/// <param name="Month">The current Moscow month, <c>yyyy-MM</c>.</param>
/// <param name="PendingPoints">Points of months not yet settled (earned and carried in).</param>
/// <param name="NextRewardDate">The next settlement: the 15th, or the next working day after it.</param>
/// <param name="Corrections">Spend corrections of the months not yet settled, in arrival order.</param>
public sealed record ReferralSummary(
    Guid ManagerId, string Month, decimal QualifyingSpend, decimal LeftToQualify, long PendingPoints, long Balance, DateOnly NextRewardDate,
    DateOnly? ProgramEndsOn, IReadOnlyList<ReferralSpendCorrection> Corrections);

/// <summary>How a month was settled.</summary>
/// <param name="Outcome"><c>Credited</c>, <c>Annulled</c>, <c>Carried</c> or <c>Nothing</c>.</param>
/// <param name="Corrections">The spend corrections the month received from orders of earlier months (null in settlements stored before).</param>
public sealed record ReferralSettlement(
    string Month, string Outcome, decimal Spend, long Points, DateOnly RewardDate, DateTimeOffset SettledAt,
    IReadOnlyList<ReferralSpendCorrection>? Corrections = null);

/// <summary>What recording an event did: false for a replay.</summary>
public sealed record ReferralRecorded(bool Recorded);
