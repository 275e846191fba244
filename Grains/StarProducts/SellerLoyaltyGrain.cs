using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using Microsoft.Extensions.Options;
using OzonActors.Persistence;
using OzonActors.StarProducts;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.StarProducts;

/// <summary>
/// A seller's Star Products membership: connections and the trial-day balance, fees per order, certificates per
/// reporting period, connection history and daily analytics aggregates. Its analytics are bounded whatever the traffic:
/// 90 daily aggregates whose distinct counts are sketches of at most 4 KiB each; 12 months of periods and history are
/// kept, with a receipt per order of those months (about 120 bytes) to answer replays.
/// </summary>
[GrainType("seller-loyalty")]
public sealed class SellerLoyaltyGrain([DurableState("seller-loyalty")] IDurableState<SellerLoyaltyState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time, IOptions<StarProductsOptions> options)
    : DurableGrain<SellerLoyaltyState>(state, time), ISellerLoyaltyGrain
{
    /// <summary>Daily aggregates kept: the longest analytics window.</summary>
    public const int DaysKept = 90;

    private const string TrialEndReminder = "trial-end";
    private const string CertificateReminder = "certificate";
    private const string HistoryReminder = "history-trim";
    private const int MaxHistoryEntries = 1000;

    private const string Method =
        "Distinct customers and views are exact up to 512 per day, then estimated by a HyperLogLog sketch (4,096 registers, " +
        "standard error 1.6 %). A window is exact when each of its days is (up to 250,000 distinct customers), else the days' " +
        "sketches are merged into one estimate. Turnover is exact.";

    private readonly StarProductsOptions _options = options.Value;

    private Guid SellerId => GetPrimaryKey();

    private TrialSession? Open => State.Sessions is [.., { DisconnectedAt: null } last] ? last : null;

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    public Task<StarProductsStatus> GetAsync() => Task.FromResult(Status());

    public async Task<StarProductsStatus> ConnectAsync(StarActor by)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (Open is not null)
        {
            throw DomainException.Conflict("already-connected", "The seller is already connected to Star Products.");
        }

        if (State.ModeratedProducts < 1)
        {
            throw DomainException.Conflict("no-moderated-product",
                "A seller can join Star Products once at least one of its products has passed moderation.");
        }

        var now = Now;
        var session = StarProductsRules.Connect(now, State.TrialDaysUsed, State.LastCountedDay);
        State.Sessions.Add(session);
        State.LastCountedDay = session.FirstDay;
        State.ActivatedAt ??= now;
        var status = Status();
        AddHistory(new StarConnectionEntryState(now, "Connect", null, by.Email, by.Role, status.TrialEndsOn, status.TrialDaysLeft));
        if (StarProductsRules.TrialEndsOn(session, _options.TrialDays) is { } lastFreeDay)
        {
            SetReminder(TrialEndReminder, BusinessCalendar.StartOf(lastFreeDay.AddDays(1)));
        }

        SetReminder(CertificateReminder, NextPeriodStart(session.FirstDay));
        Emit(Stream, LiveEventTypes.StarProductsConnected, status, Audience);
        await WriteStateAsync();
        return status;
    }

    public async Task<StarProductsStatus> DisconnectAsync(StarActor by, string reason)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid("reason-required", "Disconnecting from Star Products needs a reason.");
        }

        if (Open is not { } session)
        {
            throw DomainException.Conflict("not-connected", "The seller is not connected to Star Products.");
        }

        var now = Now;
        var today = BusinessCalendar.DateOf(now);
        // Not capped at the trial: a paid day counted here must stay paid when the seller rejoins on it.
        State.TrialDaysUsed = StarProductsRules.UsedThrough(session, today);
        State.LastCountedDay = today;
        State.Sessions[^1] = session with { DisconnectedAt = now };
        var status = Status();
        AddHistory(new StarConnectionEntryState(now, "Disconnect", reason.Trim(), by.Email, by.Role, null, status.TrialDaysLeft));
        ClearReminder(TrialEndReminder);
        Emit(Stream, LiveEventTypes.StarProductsDisconnected, status, Audience);
        await WriteStateAsync();
        return status;
    }

    public Task<IReadOnlyList<StarConnectionEntry>> GetHistoryAsync()
    {
        if (Open is null)
        {
            throw DomainException.Forbidden("history-requires-connection",
                "The connection history can be viewed only while the seller is connected to Star Products.");
        }

        var now = Now;
        IReadOnlyList<StarConnectionEntry> entries = [.. State.History.Where(e => !IsExpired(e, now)).OrderByDescending(e => e.At)
            .Select(e => new StarConnectionEntry(e.At, e.Action, e.Reason, e.Email, e.Role, e.TrialEndsOn, e.TrialDaysLeft))];
        return Task.FromResult(entries);
    }

    public Task<StarAnalytics> GetAnalyticsAsync(int days)
    {
        if (!StarAnalyticsWindows.IsValid(days))
        {
            throw DomainException.Invalid("invalid-window", "Analytics cover 14, 21, 30 or 90 days.");
        }

        var now = Now;
        if (State.ActivatedAt is not { } activated)
        {
            throw DomainException.Conflict("analytics-not-available", "Analytics open 14 days after the seller first connects to Star Products.");
        }

        var opens = activated.AddDays(_options.AnalyticsAfterDays);
        if (now < opens)
        {
            // Named on the Moscow calendar, like every business day: in UTC it is the day before for activations before 03:00.
            var opensInMoscow = TimeZoneInfo.ConvertTime(opens, BusinessCalendar.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            throw DomainException.Conflict("analytics-not-available",
                $"Analytics become available on {opensInMoscow} Moscow time, {_options.AnalyticsAfterDays} days after activation.");
        }

        var to = BusinessCalendar.DateOf(now);
        var from = to.AddDays(1 - days);
        var viewers = new DistinctSketch(DistinctSketch.QuerySparseLimit);
        var buyers = new DistinctSketch(DistinctSketch.QuerySparseLimit);
        long views = 0;
        decimal turnover = 0;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (State.Days.TryGetValue(Key(day), out var stats))
            {
                viewers.UnionWith(DistinctSketch.Deserialize(stats.Viewers));
                buyers.UnionWith(DistinctSketch.Deserialize(stats.Buyers));
                views += DistinctSketch.Deserialize(stats.Views).Count();
                turnover += stats.Turnover;
            }
        }

        var (buyerCount, viewerCount) = (buyers.Count(), viewers.Count());
        return Task.FromResult(new StarAnalytics(
            days, from, to, StarProductsRules.ActiveShare(buyerCount, viewerCount), buyerCount, viewerCount, turnover, views, Method));
    }

    public Task<IReadOnlyList<StarCertificate>> GetCertificatesAsync()
    {
        IReadOnlyList<StarCertificate> certificates = [.. State.Periods.OrderByDescending(p => p.Value.From).Select(p => Certificate(p.Key, p.Value))];
        return Task.FromResult(certificates);
    }

    public async Task<StarOrderRecorded> RecordOrderAsync(StarOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var fingerprint = StarProductsRules.Fingerprint(order);
        if (State.Orders.TryGetValue(order.OrderId, out var seen))
        {
            return seen.Fingerprint == fingerprint
                ? new StarOrderRecorded(order.OrderId, false, seen.InProgram, seen.Fee, seen.Compensation, seen.Period, seen.Correction)
                : throw DomainException.Conflict("idempotency-conflict",
                    $"Order '{order.OrderId}' was already recorded with different content; nothing was changed.");
        }

        var session = State.Sessions.LastOrDefault(s => s.Covers(order.At));
        var day = BusinessCalendar.DateOf(order.At);
        var inProgram = session is not null;
        var fee = session is not null && !StarProductsRules.IsTrialDay(session, day, _options.TrialDays)
            ? StarProductsRules.Fee(order.Lines, _options.FeeRate)
            : 0m;
        var compensation = inProgram ? StarProductsRules.Compensation(order.Lines) : 0m;
        string? name = null;
        var late = false;
        if (inProgram)
        {
            var units = order.Lines.Sum(l => l.Quantity);
            if (DayStats(day) is { } stats)
            {
                stats.Turnover += compensation;
                stats.Orders++;
                stats.Buyers = Added(stats.Buyers, order.CustomerId.ToString());
            }

            var (periodFrom, periodTo) = BusinessCalendar.PeriodOf(day);
            var own = BusinessCalendar.PeriodName(periodFrom);
            late = IsIssued(own, periodTo);
            var period = Period(late ? BusinessCalendar.PeriodOf(BusinessCalendar.DateOf(Now)).From : periodFrom);
            name = BusinessCalendar.PeriodName(period.From);
            if (late)
            {
                // The issued certificate stays as it was: the order is billed with the one in progress, and the seller is told.
                var correction = new StarCertificateCorrection(order.OrderId, own, name, order.At, Now, fee, compensation, units);
                period.Corrections.Add(correction);
                EnsureCertificateReminder(period);
                Emit(Stream, LiveEventTypes.StarProductsCertificateCorrected, correction, Audience);
            }
            else
            {
                period.Fees += fee;
                period.Compensation += compensation;
                period.Orders++;
                period.Units += units;
            }
        }

        State.Orders[order.OrderId] = new StarOrderReceipt(fingerprint, day, inProgram, fee, compensation, name, late);

        // The operation key still guards orders recorded before receipts were kept (or whose receipt was trimmed): their
        // replay is answered from the same content, recomputed, and changes nothing.
        ClaimOperation($"order:{order.OrderId}");
        return new StarOrderRecorded(order.OrderId, await WriteStateOnceAsync(), inProgram, fee, compensation, name, late);
    }

    public async Task<int> RecordViewsAsync(IReadOnlyList<StarProductView> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        var counted = 0;
        var changed = false;
        var sketches = new Dictionary<DateOnly, (DistinctSketch Views, DistinctSketch Viewers)>();
        foreach (var view in views)
        {
            var day = BusinessCalendar.DateOf(view.At);
            if (!State.Sessions.Any(s => s.Covers(view.At)) || DayStats(day) is not { } stats)
            {
                continue;
            }

            counted++;
            if (!sketches.TryGetValue(day, out var pair))
            {
                sketches[day] = pair = (DistinctSketch.Deserialize(stats.Views), DistinctSketch.Deserialize(stats.Viewers));
            }

            pair.Views.Add($"{view.ProductId}|{view.CustomerId}|{view.At.UtcTicks}");
            pair.Viewers.Add(view.CustomerId.ToString());
        }

        foreach (var (day, (dayViews, viewers)) in sketches)
        {
            var stats = State.Days[Key(day)];
            var (viewsText, viewersText) = (dayViews.Serialize(), viewers.Serialize());
            changed |= viewsText != stats.Views || viewersText != stats.Viewers;
            (stats.Views, stats.Viewers) = (viewsText, viewersText);
        }

        if (changed)
        {
            await WriteStateAsync();
        }

        return counted;
    }

    public async Task AdjustModeratedProductsAsync(string productId, long change, int delta)
    {
        State.ModeratedProducts = Math.Max(0, State.ModeratedProducts + delta);
        Emit(Stream, LiveEventTypes.StarProductsUpdated, Status(), Audience);
        ClaimOperation($"product:{productId}:{change}");
        await WriteStateOnceAsync();
    }

    protected override async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        var now = Now;
        var today = BusinessCalendar.DateOf(now);
        switch (name)
        {
            case TrialEndReminder when Open is { } session && StarProductsRules.TrialEndsOn(session, _options.TrialDays) is { } lastFreeDay
                && today > lastFreeDay:
                Emit(Stream, LiveEventTypes.StarProductsTrialEnded, Status(), Audience);
                await WriteStateAsync();
                break;
            case CertificateReminder:
                foreach (var (period, totals) in State.Periods.Where(p => !p.Value.Issued && p.Value.To < today).OrderBy(p => p.Value.From))
                {
                    totals.Issued = true;
                    Emit(Stream, LiveEventTypes.StarProductsCertificateIssued, Certificate(period, totals), Audience);
                }

                // Every period ended by now is issued, with or without orders: an order of one of them arriving later is late.
                var lastEnded = BusinessCalendar.PeriodOf(today).From.AddDays(-1);
                State.IssuedThrough = State.IssuedThrough is { } through && through > lastEnded ? through : lastEnded;
                if (Open is not null || State.Periods.Values.Any(p => !p.Issued))
                {
                    SetReminder(CertificateReminder, NextPeriodStart(today));
                }

                await WriteStateAsync();
                break;
            case HistoryReminder:
                TrimHistory(now);
                await WriteStateAsync();
                break;
        }
    }

    private string Stream => $"star-products:{SellerId}";

    private string Audience => LiveAudiences.Seller(SellerId);

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset NextPeriodStart(DateOnly day) => BusinessCalendar.StartOf(BusinessCalendar.PeriodOf(day).To.AddDays(1));

    private static string Added(string? sketch, string value)
    {
        var distinct = DistinctSketch.Deserialize(sketch);
        distinct.Add(value);
        return distinct.Serialize();
    }

    private static StarCertificate Certificate(string name, StarPeriodTotals totals) =>
        new(name, totals.From, totals.To, totals.Fees, totals.Compensation, totals.Orders, totals.Units, totals.Issued, [.. totals.Corrections],
            totals.Fees + totals.Corrections.Sum(c => c.Fee), totals.Compensation + totals.Corrections.Sum(c => c.Compensation));

    /// <summary>True once the certificate of the period ending <paramref name="to"/> was issued.</summary>
    private bool IsIssued(string name, DateOnly to) =>
        (State.IssuedThrough is { } through && to <= through) || (State.Periods.TryGetValue(name, out var period) && period.Issued);

    /// <summary>The totals of the period starting <paramref name="from"/>, created empty.</summary>
    private StarPeriodTotals Period(DateOnly from)
    {
        var name = BusinessCalendar.PeriodName(from);
        if (!State.Periods.TryGetValue(name, out var period))
        {
            State.Periods[name] = period = new StarPeriodTotals { From = from, To = BusinessCalendar.PeriodOf(from).To };
        }

        return period;
    }

    /// <summary>A period given a correction is issued when it ends, also for a seller who left (whose reminder is not set again).</summary>
    private void EnsureCertificateReminder(StarPeriodTotals period)
    {
        var due = NextPeriodStart(period.From);
        if (!Deadlines.TryGetValue(CertificateReminder, out var set) || set > due)
        {
            SetReminder(CertificateReminder, due);
        }
    }

    /// <summary>The aggregates of <paramref name="day"/>, created if it is within the kept days; older days are dropped here.</summary>
    private StarDayStats? DayStats(DateOnly day)
    {
        var today = BusinessCalendar.DateOf(Now);
        var oldest = today.AddDays(1 - DaysKept);
        if (day < oldest || day > today.AddDays(1))
        {
            return null;
        }

        var key = Key(day);
        if (!State.Days.TryGetValue(key, out var stats))
        {
            foreach (var stale in State.Days.Keys.Where(k => string.CompareOrdinal(k, Key(oldest)) < 0).ToList())
            {
                State.Days.Remove(stale);
            }

            State.Days[key] = stats = new StarDayStats();
        }

        return stats;
    }

    private void AddHistory(StarConnectionEntryState entry)
    {
        State.History.Add(entry);
        if (State.History.Count > MaxHistoryEntries)
        {
            State.History.RemoveAt(0);
        }

        SetReminder(HistoryReminder, State.History[0].At.AddMonths(_options.HistoryMonths));
    }

    /// <summary>Drops history, finished connections and periods older than the months kept; the reminder is set again for the oldest left.</summary>
    private void TrimHistory(DateTimeOffset now)
    {
        var cutoff = now.AddMonths(-_options.HistoryMonths);
        State.History.RemoveAll(e => IsExpired(e, now));
        State.Sessions.RemoveAll(s => s.DisconnectedAt is { } end && end < cutoff);
        var oldestPeriod = BusinessCalendar.DateOf(cutoff);
        foreach (var period in State.Periods.Where(p => p.Value.To < oldestPeriod).Select(p => p.Key).ToList())
        {
            State.Periods.Remove(period);
        }

        foreach (var order in State.Orders.Where(o => BusinessCalendar.PeriodOf(o.Value.On).To < oldestPeriod).Select(o => o.Key).ToList())
        {
            State.Orders.Remove(order);
        }

        if (State.History.Count > 0)
        {
            SetReminder(HistoryReminder, State.History[0].At.AddMonths(_options.HistoryMonths));
        }
    }

    /// <summary>
    /// True from the instant the entry is as old as the months kept: the instant its reminder is due. (Comparing with
    /// now minus the months instead would keep an entry of 29 February, or one trimmed exactly on time, and set the
    /// reminder again to the same past instant, firing it over and over.)
    /// </summary>
    private bool IsExpired(StarConnectionEntryState entry, DateTimeOffset now) => entry.At.AddMonths(_options.HistoryMonths) <= now;

    private StarProductsStatus Status()
    {
        var trialDays = _options.TrialDays;
        var open = Open;
        int left;
        DateOnly? endsOn = null;
        if (open is not null)
        {
            var used = StarProductsRules.UsedThrough(open, BusinessCalendar.DateOf(Now));
            left = Math.Max(0, trialDays - used);
            endsOn = used <= trialDays ? StarProductsRules.TrialEndsOn(open, trialDays) : null;
        }
        else
        {
            left = Math.Max(0, trialDays - State.TrialDaysUsed);
        }

        return new StarProductsStatus(SellerId, open is not null, left, endsOn, _options.FeeRate, open?.ConnectedAt,
            State.ModeratedProducts, State.ActivatedAt?.AddDays(_options.AnalyticsAfterDays));
    }
}
