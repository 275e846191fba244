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
public sealed record ReferralSummary(
    Guid ManagerId, string Month, decimal QualifyingSpend, decimal LeftToQualify, long PendingPoints, long Balance, DateOnly NextRewardDate,
    DateOnly? ProgramEndsOn);

/// <summary>How a month was settled.</summary>
/// <param name="Outcome"><c>Credited</c>, <c>Annulled</c>, <c>Carried</c> or <c>Nothing</c>.</param>
public sealed record ReferralSettlement(string Month, string Outcome, decimal Spend, long Points, DateOnly RewardDate, DateTimeOffset SettledAt);

/// <summary>What recording an event did: false for a replay.</summary>
public sealed record ReferralRecorded(bool Recorded);
