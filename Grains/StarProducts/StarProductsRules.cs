using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OzonActors.StarProducts;

namespace OzonActors.Grains.StarProducts;

/// <summary>
/// One connection: when it began and how many trial days were used through its first Moscow day (that day included).
/// Day <c>FirstDay + k</c> of the connection is trial day number <c>UsedThroughFirstDay + k</c>.
/// </summary>
public sealed record TrialSession(DateTimeOffset ConnectedAt, DateOnly FirstDay, int UsedThroughFirstDay, DateTimeOffset? DisconnectedAt = null)
{
    public bool Covers(DateTimeOffset at) => at >= ConnectedAt && (DisconnectedAt is null || at < DisconnectedAt);
}

/// <summary>
/// The pure rules of RULES §2: trial days (every Moscow day connected at any moment uses one; unused days are kept),
/// the fee (a share of the seller price per unit, rounded to kopecks half up), active shares.
/// </summary>
public static class StarProductsRules
{
    /// <summary>
    /// A connection starting at <paramref name="at"/> after <paramref name="usedBefore"/> days were used, the last of them
    /// counted on <paramref name="lastCountedDay"/>: its Moscow day uses a new trial day unless it was counted already
    /// (leave and rejoin the same day).
    /// </summary>
    public static TrialSession Connect(DateTimeOffset at, int usedBefore, DateOnly? lastCountedDay)
    {
        var today = BusinessCalendar.DateOf(at);
        return new TrialSession(at, today, usedBefore + (lastCountedDay == today ? 0 : 1));
    }

    /// <summary>Trial days used through <paramref name="day"/> of the session (not capped).</summary>
    public static int UsedThrough(TrialSession session, DateOnly day) => session.UsedThroughFirstDay + (day.DayNumber - session.FirstDay.DayNumber);

    /// <summary>True when <paramref name="day"/> of the session is a free day.</summary>
    public static bool IsTrialDay(TrialSession session, DateOnly day, int trialDays) => UsedThrough(session, day) <= trialDays;

    /// <summary>The session's last free day, or null when it began with the trial already used up.</summary>
    public static DateOnly? TrialEndsOn(TrialSession session, int trialDays) =>
        session.UsedThroughFirstDay <= trialDays ? session.FirstDay.AddDays(trialDays - session.UsedThroughFirstDay) : null;

    /// <summary>The fee of one unit: <paramref name="sellerPrice"/> × <paramref name="rate"/>, rounded to kopecks half up.</summary>
    public static decimal UnitFee(decimal sellerPrice, decimal rate) => decimal.Round(sellerPrice * rate, 2, MidpointRounding.AwayFromZero);

    /// <summary>The fee of an order placed after the trial: the unit fee times the quantity, per line.</summary>
    public static decimal Fee(IEnumerable<StarOrderLine> lines, decimal rate) => lines.Sum(l => UnitFee(l.SellerPrice, rate) * l.Quantity);

    /// <summary>What the seller is compensated: the seller price of the sale times the quantity.</summary>
    public static decimal Compensation(IEnumerable<StarOrderLine> lines) => lines.Sum(l => l.SellerPrice * l.Quantity);

    /// <summary>
    /// A compact fingerprint of what an order says (customer, instant, lines in any order; prices by value, so 100 and
    /// 100.00 are one price): two sendings of one order id are a replay when their fingerprints are equal.
    /// </summary>
    public static string Fingerprint(StarOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var text = new StringBuilder(64 + (order.Lines.Count * 48));
        text.Append(CultureInfo.InvariantCulture, $"{order.CustomerId:N}|{order.At.UtcTicks}");
        foreach (var line in order.Lines.Select(l => $"|{l.ProductId}:{Normalized(l.SellerPrice)}:{l.Quantity}").Order(StringComparer.Ordinal))
        {
            text.Append(line);
        }

        // 96 bits: a collision between two contents sent under one order id is not a practical concern.
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 12);
    }

    /// <summary>Distinct buyers ÷ distinct viewers, 0 without viewers, at most 1, to 4 decimals.</summary>
    public static decimal ActiveShare(long buyers, long viewers) =>
        viewers <= 0 ? 0m : Math.Min(1m, decimal.Round((decimal)buyers / viewers, 4, MidpointRounding.AwayFromZero));

    private static string Normalized(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
