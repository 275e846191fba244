using OzonActors.Referral;

namespace OzonActors.Grains.Referral;

/// <summary>A referral manager as stored.</summary>
public sealed class ReferralManagerState
{
    /// <summary>Months by <c>yyyy-MM</c> (Moscow).</summary>
    public Dictionary<string, ReferralMonth> Months { get; set; } = [];

    /// <summary>The manager's own orders by order id.</summary>
    public Dictionary<string, ReferralOrder> Orders { get; set; } = [];

    /// <summary>Idempotency keys of applied events and movements, with a hash of their content.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>When each key was applied, for the replay window (keys stored before it have none until the next settlement).</summary>
    public Dictionary<string, DateTimeOffset> KeyTimes { get; set; } = [];

    public List<LedgerEntry> Ledger { get; set; } = [];

    public long Balance { get; set; }
}

/// <summary>One month's statistics and its settlement.</summary>
public sealed class ReferralMonth
{
    public decimal Spend { get; set; }

    public long Earned { get; set; }

    /// <summary>Points carried in from an earlier month that had the spend but too few points.</summary>
    public long CarriedIn { get; set; }

    public ReferralSettlement? Settlement { get; set; }

    /// <summary>Spend moved here by orders of earlier months (late receipts and cancellations), in arrival order.</summary>
    public List<ReferralSpendCorrection> Corrections { get; set; } = [];
}

/// <summary>What the statistics need of one order.</summary>
public sealed class ReferralOrder
{
    public DateTimeOffset? PlacedAt { get; set; }

    public DateTimeOffset? ReceivedAt { get; set; }

    /// <summary>What counts toward spend: regular items less points and bonuses used; 0 for a legal entity.</summary>
    public decimal Qualifying { get; set; }

    /// <summary>Regular items canceled before the order was counted.</summary>
    public decimal CanceledBeforeCount { get; set; }

    /// <summary>What cancellations took back from spend after the order was counted.</summary>
    public decimal CanceledAfterCount { get; set; }

    public bool LegalEntity { get; set; }

    /// <summary>
    /// The month the order's spend went to, once placed and received in the same month: that month, or the open month
    /// when the receipt came after it was settled; empty when it never counts.
    /// </summary>
    public string? CountedIn { get; set; }
}
