using OzonActors.StarProducts;

namespace OzonActors.Grains.StarProducts;

/// <summary>A seller's membership as stored: analytics bounded by the days kept; periods, history and order receipts by the months kept.</summary>
public sealed class SellerLoyaltyState
{
    public int ModeratedProducts { get; set; }

    /// <summary>The first connection ever; analytics open a set number of days after it.</summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    /// <summary>Days counted by the connections that ended; beyond the trial days, every further one was paid.</summary>
    public int TrialDaysUsed { get; set; }

    /// <summary>The Moscow day counted last, so a rejoin on that day uses no new one.</summary>
    public DateOnly? LastCountedDay { get; set; }

    /// <summary>Connections of the last months, oldest first; the open one, if any, is last.</summary>
    public List<TrialSession> Sessions { get; set; } = [];

    public List<StarConnectionEntryState> History { get; set; } = [];

    /// <summary>Daily aggregates by Moscow day (<c>yyyy-MM-dd</c>), the last 90 days.</summary>
    public Dictionary<string, StarDayStats> Days { get; set; } = [];

    /// <summary>Reporting periods by name (<c>2026-11-1</c>), the last 12 months.</summary>
    public Dictionary<string, StarPeriodTotals> Periods { get; set; } = [];

    /// <summary>
    /// The orders recorded, by order id: what is needed to tell a replay from a conflicting duplicate and to answer the
    /// replay as the first recording was answered. Kept as long as the periods (empty in states written before).
    /// </summary>
    public Dictionary<string, StarOrderReceipt> Orders { get; set; } = [];

    /// <summary>
    /// The last day of the last period whose certificate was issued (with or without orders): an order of a period up to
    /// it is late. Null in states written before it was kept, where the periods' <see cref="StarPeriodTotals.Issued"/> tell.
    /// </summary>
    public DateOnly? IssuedThrough { get; set; }
}

/// <summary>A recorded order: a fingerprint of its content, its Moscow day, and what recording it did.</summary>
public sealed record StarOrderReceipt(
    string Fingerprint, DateOnly On, bool InProgram, decimal Fee, decimal Compensation, string? Period, bool Correction = false);

/// <summary>A history entry as stored.</summary>
public sealed record StarConnectionEntryState(
    DateTimeOffset At, string Action, string? Reason, string Email, string Role, DateOnly? TrialEndsOn, int TrialDaysLeft);

/// <summary>One day of program traffic: sketches of view keys, viewers and buyers; sums of sales.</summary>
public sealed class StarDayStats
{
    public string? Views { get; set; }

    public string? Viewers { get; set; }

    public string? Buyers { get; set; }

    public decimal Turnover { get; set; }

    public int Orders { get; set; }
}

/// <summary>The fees and compensation of one reporting period.</summary>
public sealed class StarPeriodTotals
{
    public DateOnly From { get; set; }

    public DateOnly To { get; set; }

    public decimal Fees { get; set; }

    public decimal Compensation { get; set; }

    public int Orders { get; set; }

    public int Units { get; set; }

    public bool Issued { get; set; }

    /// <summary>Late orders of earlier, issued periods billed with this one, in arrival order.</summary>
    public List<StarCertificateCorrection> Corrections { get; set; } = [];
}
