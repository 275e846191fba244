namespace OzonActors.StarProducts;

/// <summary>Who connects or disconnects: an employee by email and role, or the system (auto-connection).</summary>
/// <param name="AccountId">The employee's seller account; null for the system.</param>
/// <param name="Email">The employee's email, or <c>system</c>.</param>
/// <param name="Role">The employee's role, or <c>System</c>.</param>
public sealed record StarActor(Guid? AccountId, string Email, string Role)
{
    /// <summary>The marketplace connecting a seller automatically.</summary>
    public static StarActor System { get; } = new(null, "system", "System");
}

/// <summary>A seller's place in the program now.</summary>
/// <param name="Connected">Connected at this moment.</param>
/// <param name="TrialDaysLeft">Free days left (today counts as used while connected).</param>
/// <param name="TrialEndsOn">While connected: the last free Moscow day; null once the trial is used up or while disconnected.</param>
/// <param name="FeeRate">The fee per unit ordered after the trial, as a share of the seller price.</param>
/// <param name="ConnectedSince">When the current connection began.</param>
/// <param name="ModeratedProducts">Products that passed moderation: at least one is needed to join.</param>
/// <param name="AnalyticsAvailableFrom">When analytics open: the first activation plus 14 days.</param>
public sealed record StarProductsStatus(
    Guid SellerId, bool Connected, int TrialDaysLeft, DateOnly? TrialEndsOn, decimal FeeRate, DateTimeOffset? ConnectedSince,
    int ModeratedProducts, DateTimeOffset? AnalyticsAvailableFrom);

/// <summary>One entry of the connection history.</summary>
/// <param name="Action"><c>Connect</c> or <c>Disconnect</c>.</param>
/// <param name="TrialEndsOn">The date the free period ends, as of this change (null when it is paused or over).</param>
public sealed record StarConnectionEntry(
    DateTimeOffset At, string Action, string? Reason, string Email, string Role, DateOnly? TrialEndsOn, int TrialDaysLeft);

/// <summary>A program order as the marketplace reports it; the seller price is the one on the product page at the sale.</summary>
public sealed record StarOrder(string OrderId, Guid SellerId, Guid CustomerId, DateTimeOffset At, IReadOnlyList<StarOrderLine> Lines);

/// <summary>One product of a program order.</summary>
public sealed record StarOrderLine(string ProductId, decimal SellerPrice, int Quantity);

/// <summary>What recording an order did; a replay answers what the first recording did.</summary>
/// <param name="Recorded">False for a replay: nothing changed.</param>
/// <param name="InProgram">The seller was connected at the sale.</param>
/// <param name="Fee">The fee charged (0 on trial days and while disconnected).</param>
/// <param name="Compensation">The compensation owed to the seller at the seller price of the sale.</param>
/// <param name="Period">The reporting period whose certificate carries the order; null when it is not in the program.</param>
/// <param name="Correction">
/// The order's own period had its certificate issued already: the order is a correction on the certificate of
/// <see cref="Period"/>, the period in progress when it arrived.
/// </param>
public sealed record StarOrderRecorded(
    string OrderId, bool Recorded, bool InProgram, decimal Fee, decimal Compensation, string? Period = null, bool Correction = false);

/// <summary>A product page view.</summary>
public sealed record StarProductView(string ProductId, Guid CustomerId, DateTimeOffset At);

/// <summary>
/// A certificate of services rendered: the fees of one reporting period. Once issued it never changes: an order of its
/// period that arrives later is a correction on the certificate of the period then in progress.
/// </summary>
/// <param name="Period">The period's name: <c>2026-11-1</c> (1st–15th) or <c>2026-11-2</c> (16th–end).</param>
/// <param name="Fees">The fees of the orders of this period (corrections excluded).</param>
/// <param name="Issued">The period has ended and the certificate was issued.</param>
/// <param name="Corrections">Late orders of earlier periods, whose certificates were already issued, billed with this one.</param>
/// <param name="TotalFees"><see cref="Fees"/> plus the fees of the corrections.</param>
/// <param name="TotalCompensation"><see cref="Compensation"/> plus the compensation of the corrections.</param>
public sealed record StarCertificate(
    string Period, DateOnly From, DateOnly To, decimal Fees, decimal Compensation, int Orders, int Units, bool Issued,
    IReadOnlyList<StarCertificateCorrection> Corrections, decimal TotalFees, decimal TotalCompensation);

/// <summary>A late order: its own period's certificate was issued before it arrived, so it is billed with a later one.</summary>
/// <param name="OrderPeriod">The period of the order's sale, whose issued certificate stays as it was.</param>
/// <param name="Period">The period whose certificate carries the correction.</param>
/// <param name="OrderedAt">The sale.</param>
/// <param name="RecordedAt">When the order arrived.</param>
public sealed record StarCertificateCorrection(
    string OrderId, string OrderPeriod, string Period, DateTimeOffset OrderedAt, DateTimeOffset RecordedAt, decimal Fee, decimal Compensation, int Units);

/// <summary>Program analytics over the last <see cref="Days"/> Moscow days, today included.</summary>
/// <param name="ActiveCustomerShare">Distinct buyers of program products ÷ distinct viewers of them (0–1, 4 decimals).</param>
/// <param name="Method">How distinct customers and views are counted.</param>
public sealed record StarAnalytics(
    int Days, DateOnly From, DateOnly To, decimal ActiveCustomerShare, long Buyers, long Viewers, decimal Turnover, long Views, string Method);
