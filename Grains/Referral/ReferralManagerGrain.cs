using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OzonActors.Referral;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.Referral;

/// <summary>
/// A referral manager: qualifying spend per Moscow month, points pending per month, the settlement of each month on its
/// reward date by a reminder (credit, annul, or carry over below the minimum; once per month), and a ledger of immutable
/// entries whose balance changes sum to a balance that never goes negative.
/// </summary>
[GrainType("referral-manager")]
public sealed class ReferralManagerGrain([DurableState("referral-manager")] IDurableState<ReferralManagerState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time, IOptions<ReferralOptions> options, ProductionCalendar calendar)
    : DurableGrain<ReferralManagerState>(state, time), IReferralManagerGrain
{
    /// <summary>The same as <see cref="LiveEventTypes.ReferralMonthSettled"/>; bench/ reads it.</summary>
    public const string SettledEvent = LiveEventTypes.ReferralMonthSettled;

    private const string SettleReminderPrefix = "settle:";

    private readonly ReferralOptions _options = options.Value;

    private Guid ManagerId => GetPrimaryKey();

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    public Task<ReferralSummary> GetAsync() => Task.FromResult(Summary());

    public Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync() => Task.FromResult<IReadOnlyList<LedgerEntry>>([.. State.Ledger]);

    public Task<IReadOnlyList<ReferralSettlement>> GetSettlementsAsync() => Task.FromResult<IReadOnlyList<ReferralSettlement>>(
        [.. State.Months.Values.Where(m => m.Settlement is not null).Select(m => m.Settlement! with { Corrections = [.. m.Corrections] })
            .OrderByDescending(s => s.Month, StringComparer.Ordinal)]);

    public async Task<ReferralRecorded> RecordOrderAsync(ReferralOrderEvent order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!NewKey($"order:{order.OrderId}:{order.Status}:{order.At.UtcTicks}", order))
        {
            return new ReferralRecorded(false);
        }

        if (!State.Orders.TryGetValue(order.OrderId, out var stored))
        {
            State.Orders[order.OrderId] = stored = new ReferralOrder();
        }

        var regular = order.Items.Where(i => i.Kind == ReferralItemKind.Regular).Sum(i => i.Amount);
        switch (order.Status)
        {
            case ReferralOrderStatus.Placed:
                stored.PlacedAt ??= order.At;
                stored.LegalEntity = order.LegalEntity;
                stored.Qualifying = order.LegalEntity ? 0 : Math.Max(0, regular - order.PointsUsed - order.BonusesUsed);
                break;
            case ReferralOrderStatus.Received:
                stored.ReceivedAt ??= order.At;
                if (stored.PlacedAt is null)
                {
                    // Received before its placement arrived: take the breakdown from this event.
                    stored.LegalEntity = order.LegalEntity;
                    stored.Qualifying = order.LegalEntity ? 0 : Math.Max(0, regular - order.PointsUsed - order.BonusesUsed);
                }

                break;
            case ReferralOrderStatus.Canceled:
                Cancel(order.OrderId, stored, order.LegalEntity || stored.LegalEntity ? 0 : regular, order.At);
                break;
        }

        Count(order.OrderId, stored);
        Emit(Stream, LiveEventTypes.ReferralSpendUpdated, Summary(), Audience);
        await WriteStateAsync();
        return new ReferralRecorded(true);
    }

    public async Task<ReferralRecorded> RecordEarningAsync(ReferralEarning earning)
    {
        ArgumentNullException.ThrowIfNull(earning);
        if (earning.Points <= 0)
        {
            throw DomainException.Invalid("invalid-points", "Earned points must be positive.");
        }

        if (_options.ProgramEndsOn is { } end && BusinessCalendar.DateOf(earning.At) > end)
        {
            throw DomainException.Conflict("program-ended", $"The referral program ended on {end:yyyy-MM-dd}: no new earnings are accepted.");
        }

        if (!NewKey($"earning:{earning.EarningId}", earning))
        {
            return new ReferralRecorded(false);
        }

        var month = MonthOf(earning.At);
        var target = OpenMonth(month);
        Month(target).Earned += earning.Points;
        AddEntry($"earning:{earning.EarningId}", LedgerEntryKind.Earned, earning.Points, 0, target, earning.At,
            target == month ? null : $"earned in {month}, which was already settled or past its reward date");
        Emit(Stream, LiveEventTypes.ReferralSpendUpdated, Summary(), Audience);
        await WriteStateAsync();
        return new ReferralRecorded(true);
    }

    public async Task<LedgerEntry> DebitAsync(LedgerEntryKind kind, long points, string key)
    {
        if (kind is not (LedgerEntryKind.Withdrawn or LedgerEntryKind.Spent))
        {
            throw DomainException.Invalid("invalid-movement", "Only withdrawals and payments debit the balance.");
        }

        if (points <= 0)
        {
            throw DomainException.Invalid("invalid-points", "Points must be positive.");
        }

        // Only the kind is lowercased: order and request ids are case-sensitive, so "A1" and "a1" are two debits.
        var entryKey = $"{kind.ToString().ToLowerInvariant()}:{key}";
        if (!NewKey(entryKey, new { kind, points }))
        {
            return State.Ledger.Last(e => e.Key == entryKey);
        }

        if (points > State.Balance)
        {
            throw DomainException.Conflict("insufficient-balance", $"The balance is {State.Balance} points; {points} cannot be taken from it.");
        }

        var entry = AddEntry(entryKey, kind, points, -points, null, Now, kind == LedgerEntryKind.Withdrawn ? $"{points} RUB" : null);
        await WriteStateAsync();
        return entry;
    }

    public async Task<LedgerEntry> CorrectAsync(string correctionId, long points, string note)
    {
        if (points == 0 || string.IsNullOrWhiteSpace(note))
        {
            throw DomainException.Invalid("invalid-correction", "A correction needs a non-zero number of points and a note.");
        }

        var key = $"correction:{correctionId}";
        if (!NewKey(key, new { points, note }))
        {
            return State.Ledger.Last(e => e.Key == key);
        }

        if (State.Balance + points < 0)
        {
            throw DomainException.Conflict("insufficient-balance", $"The balance is {State.Balance} points; a correction of {points} would make it negative.");
        }

        var entry = AddEntry(key, LedgerEntryKind.Correction, Math.Abs(points), points, null, Now, note.Trim());
        await WriteStateAsync();
        return entry;
    }

    protected override async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        if (!name.StartsWith(SettleReminderPrefix, StringComparison.Ordinal) || !State.Months.TryGetValue(name[SettleReminderPrefix.Length..], out var month)
            || month.Settlement is not null)
        {
            return;
        }

        // The handler checks the reward date itself: a tick before it (a reminder set before the production calendar moved
        // the date later, or fired early by hand) settles nothing and waits for the date.
        var key = name[SettleReminderPrefix.Length..];
        var rewardAt = calendar.RewardInstant(FirstDay(key), _options.RewardDay);
        if (Now < rewardAt)
        {
            SetReminder(name, rewardAt);
        }
        else
        {
            Settle(key, month);
            ForgetOldKeys();
        }

        await WriteStateAsync();
    }

    private string Stream => $"referral:{ManagerId}";

    private string Audience => LiveAudiences.Manager(ManagerId);

    private static string MonthOf(DateTimeOffset at) => BusinessCalendar.DateOf(at).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static DateOnly FirstDay(string month) => DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Next(string month) => FirstDay(month).AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private DateOnly RewardDate(string month) => calendar.RewardDate(FirstDay(month), _options.RewardDay);

    /// <summary>Records an idempotency key; false for a replay, 409 for the same key with other content.</summary>
    private bool NewKey(string key, object payload)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(payload, GrainJson.Options))));
        if (State.Keys.TryGetValue(key, out var seen))
        {
            return seen == hash
                ? false
                : throw DomainException.Conflict("idempotency-conflict", $"'{key}' was already applied with different content.");
        }

        State.Keys[key] = hash;
        State.KeyTimes[key] = Now;
        return true;
    }

    /// <summary>
    /// Retention: keys older than the replay window go, and so do the orders no remaining key refers to, so a manager's
    /// state grows with the window, not with the years. A key stored before key times were kept starts its window now.
    /// </summary>
    private void ForgetOldKeys()
    {
        var cutoff = Now - _options.KeyRetention;
        foreach (var key in State.Keys.Keys.ToList())
        {
            if (!State.KeyTimes.TryGetValue(key, out var at))
            {
                State.KeyTimes[key] = Now;
            }
            else if (at < cutoff)
            {
                State.Keys.Remove(key);
                State.KeyTimes.Remove(key);
            }
        }

        // Order keys are "order:{orderId}:{status}:{ticks}"; an order id may itself hold a colon.
        var referred = State.Keys.Keys.Where(k => k.StartsWith("order:", StringComparison.Ordinal))
            .Select(k => k[..k.LastIndexOf(':', k.LastIndexOf(':') - 1)]["order:".Length..]).ToHashSet(StringComparer.Ordinal);
        foreach (var orderId in State.Orders.Keys.Where(id => !referred.Contains(id)).ToList())
        {
            State.Orders.Remove(orderId);
        }
    }

    /// <summary>The month, created with its settlement reminder on first use.</summary>
    private ReferralMonth Month(string month)
    {
        if (!State.Months.TryGetValue(month, out var stats))
        {
            State.Months[month] = stats = new ReferralMonth();
            SetReminder(SettleReminderPrefix + month, calendar.RewardInstant(FirstDay(month), _options.RewardDay));
        }

        return stats;
    }

    /// <summary>
    /// <paramref name="month"/>, or the first month after it that is open: not settled, and its reward date not yet come
    /// (a month never used has no settlement, but once its reward date has passed it is closed all the same).
    /// </summary>
    private string OpenMonth(string month)
    {
        while (!IsOpen(month))
        {
            month = Next(month);
        }

        return month;
    }

    private bool IsOpen(string month) =>
        !(State.Months.TryGetValue(month, out var stats) && stats.Settlement is not null) && Now < calendar.RewardInstant(FirstDay(month), _options.RewardDay);

    /// <summary>Moves spend of an order of <paramref name="orderMonth"/> into the open month <paramref name="month"/>, visibly.</summary>
    private void Correct(string orderId, ReferralCorrectionReason reason, string orderMonth, string month, decimal amount, DateTimeOffset at)
    {
        var stats = Month(month);
        stats.Spend += amount;
        var correction = new ReferralSpendCorrection(orderId, reason, orderMonth, month, amount, at, Now);
        stats.Corrections.Add(correction);
        Emit(Stream, LiveEventTypes.ReferralSpendCorrected, correction, Audience);
    }

    /// <summary>
    /// An order counts once, in the month it was placed and received in; when that month is no longer open (its receipt
    /// came after the reward date), its spend goes to the open month as a visible correction instead of being dropped.
    /// </summary>
    private void Count(string orderId, ReferralOrder order)
    {
        if (order.CountedIn is not null || order is not { PlacedAt: { } placed, ReceivedAt: { } received })
        {
            return;
        }

        var month = MonthOf(placed);
        if (month != MonthOf(received))
        {
            order.CountedIn = "";
            return;
        }

        var amount = Math.Max(0, order.Qualifying - order.CanceledBeforeCount);
        if (IsOpen(month))
        {
            order.CountedIn = month;
            Month(month).Spend += amount;
            return;
        }

        order.CountedIn = OpenMonth(Next(month));
        if (amount > 0)
        {
            Correct(orderId, ReferralCorrectionReason.LateReceipt, month, order.CountedIn, amount, received);
        }
    }

    /// <summary>
    /// Canceled items leave the month the order counted in before its reward date; after it, the open month (the first
    /// whose reward date has not yet come), as a correction: never a settled month, never lost.
    /// </summary>
    private void Cancel(string orderId, ReferralOrder order, decimal amount, DateTimeOffset at)
    {
        if (amount <= 0)
        {
            return;
        }

        if (order.CountedIn is null)
        {
            order.CanceledBeforeCount += amount;
            return;
        }

        // Never take back more than the order added: the part paid with points or bonuses never counted.
        amount = Math.Min(amount, Math.Max(0, order.Qualifying - order.CanceledBeforeCount) - order.CanceledAfterCount);
        if (order.CountedIn.Length == 0 || amount <= 0)
        {
            return;
        }

        order.CanceledAfterCount += amount;
        var counted = order.CountedIn;
        var own = MonthOf(order.PlacedAt!.Value);
        var month = at < calendar.RewardInstant(FirstDay(counted), _options.RewardDay) ? OpenMonth(counted) : OpenMonth(Next(counted));
        if (month == own)
        {
            Month(month).Spend -= amount;
        }
        else
        {
            Correct(orderId, ReferralCorrectionReason.LateCancellation, own, month, -amount, at);
        }
    }

    private void Settle(string month, ReferralMonth stats)
    {
        var points = stats.Earned + stats.CarriedIn;
        var spend = Math.Max(0, stats.Spend);
        var qualifies = spend >= _options.MinMonthlySpend;
        string outcome;
        if (points == 0)
        {
            outcome = "Nothing";
        }
        else if (qualifies && points >= _options.MinAccrualPoints)
        {
            outcome = "Credited";
            AddEntry($"credit:{month}", LedgerEntryKind.Credited, points, points, month, Now, null);
        }
        else if (!qualifies)
        {
            outcome = "Annulled";
            AddEntry($"annul:{month}", LedgerEntryKind.Annulled, points, 0, month, Now, $"spend {spend} RUB is below {_options.MinMonthlySpend} RUB");
        }
        else
        {
            outcome = "Carried";
            // The first open month: a later month's reminder may have been handled first (e.g. both overdue after downtime).
            var next = OpenMonth(Next(month));
            Month(next).CarriedIn += points;
            AddEntry($"carry:{month}", LedgerEntryKind.Carried, points, 0, month, Now, $"below {_options.MinAccrualPoints} points: carried into {next}");
        }

        stats.Settlement = new ReferralSettlement(month, outcome, spend, points, RewardDate(month), Now, [.. stats.Corrections]);
        Emit(Stream, LiveEventTypes.ReferralMonthSettled, stats.Settlement, Audience);
    }

    private LedgerEntry AddEntry(string key, LedgerEntryKind kind, long points, long change, string? month, DateTimeOffset at, string? note)
    {
        State.Balance += change;
        var entry = new LedgerEntry(State.Ledger.Count + 1, key, kind, points, change, State.Balance, month, at, note);
        State.Ledger.Add(entry);
        Emit(Stream, LiveEventTypes.ReferralLedgerEntryAdded, entry, Audience);
        return entry;
    }

    private ReferralSummary Summary()
    {
        var now = Now;
        var month = MonthOf(now);
        var spend = State.Months.TryGetValue(month, out var current) ? Math.Max(0, current.Spend) : 0m;
        var open = State.Months.Where(m => m.Value.Settlement is null).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        var pending = open.Sum(m => m.Value.Earned + m.Value.CarriedIn);
        var nextMonth = open.Select(m => m.Key).FirstOrDefault(m => string.CompareOrdinal(m, month) < 0) ?? month;
        return new ReferralSummary(ManagerId, month, spend, Math.Max(0, _options.MinMonthlySpend - spend), pending, State.Balance,
            RewardDate(nextMonth), _options.ProgramEndsOn, [.. open.SelectMany(m => m.Value.Corrections).OrderBy(c => c.RecordedAt)]);
    }
}
