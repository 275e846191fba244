using System.Globalization;
using OzonActors.Grains;
using OzonActors.Grains.StarProducts;
using OzonActors.StarProducts;

namespace OzonActors.Rules.Tests;

public sealed class BusinessCalendarTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    [Fact]
    public void The_business_day_of_an_instant_is_its_Moscow_calendar_date_not_its_UTC_date()
    {
        // 20:59:59 UTC is 23:59:59 in Moscow, still the same day; 21:00 UTC is already the next Moscow day.
        Assert.Equal(new DateOnly(2026, 11, 15), BusinessCalendar.DateOf(new DateTimeOffset(2026, 11, 15, 20, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 11, 16), BusinessCalendar.DateOf(new DateTimeOffset(2026, 11, 15, 21, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 11, 15), BusinessCalendar.DateOf(new DateTimeOffset(2026, 11, 15, 23, 30, 0, Moscow)));
        Assert.Equal(new DateOnly(2026, 11, 16), BusinessCalendar.DateOf(new DateTimeOffset(2026, 11, 15, 21, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 11, 16), BusinessCalendar.DateOf(new DateTimeOffset(2026, 11, 16, 0, 0, 0, Moscow)));

        // The offset the instant is written in does not matter, only the instant.
        Assert.Equal(new DateOnly(2026, 11, 1), BusinessCalendar.DateOf(new DateTimeOffset(2026, 10, 31, 14, 30, 0, TimeSpan.FromHours(-8))));
    }

    [Fact]
    public void A_Moscow_day_starts_at_midnight_Moscow_time()
    {
        var start = BusinessCalendar.StartOf(new DateOnly(2026, 11, 16));

        Assert.Equal(new DateTimeOffset(2026, 11, 15, 21, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(new DateOnly(2026, 11, 16), BusinessCalendar.DateOf(start));
        Assert.Equal(new DateOnly(2026, 11, 15), BusinessCalendar.DateOf(start.AddTicks(-1)));
    }

    public static TheoryData<DateOnly, DateOnly, DateOnly, string> Periods() => new()
    {
        { new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 15), "2026-11-1" },
        { new DateOnly(2026, 11, 15), new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 15), "2026-11-1" },
        { new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 30), "2026-11-2" },
        { new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 30), "2026-11-2" },
        { new DateOnly(2026, 12, 31), new DateOnly(2026, 12, 16), new DateOnly(2026, 12, 31), "2026-12-2" },
        { new DateOnly(2027, 2, 20), new DateOnly(2027, 2, 16), new DateOnly(2027, 2, 28), "2027-02-2" },
        { new DateOnly(2028, 2, 29), new DateOnly(2028, 2, 16), new DateOnly(2028, 2, 29), "2028-02-2" },
        { new DateOnly(2027, 1, 9), new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 15), "2027-01-1" },
    };

    [Theory]
    [MemberData(nameof(Periods))]
    public void Reporting_periods_are_the_1st_to_the_15th_and_the_16th_to_the_end_of_the_month(DateOnly day, DateOnly from, DateOnly to, string name)
    {
        Assert.Equal((from, to), BusinessCalendar.PeriodOf(day));
        Assert.Equal(name, BusinessCalendar.PeriodName(from));
        Assert.Equal(from, BusinessCalendar.ParsePeriod(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-11")]
    [InlineData("2026-11-0")]
    [InlineData("2026-11-3")]
    [InlineData("2026-13-1")]
    [InlineData("2026-00-2")]
    [InlineData("2026-1-1")]
    [InlineData("2026-11-01")]
    [InlineData("2026/11-1")]
    [InlineData("abcd-ef-1")]
    public void A_malformed_period_name_parses_to_nothing(string? name) => Assert.Null(BusinessCalendar.ParsePeriod(name));

    [Fact]
    public void Period_names_do_not_depend_on_the_current_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // Thai formats and parses years in the Buddhist calendar by default.
            CultureInfo.CurrentCulture = new CultureInfo("th-TH");

            Assert.Equal("2026-11-2", BusinessCalendar.PeriodName(new DateOnly(2026, 11, 16)));
            Assert.Equal(new DateOnly(2026, 11, 1), BusinessCalendar.ParsePeriod("2026-11-1"));
            Assert.Equal(new DateOnly(2026, 11, 16), BusinessCalendar.ParsePeriod("2026-11-2"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}

public sealed class StarProductsRulesTests
{
    private const int TrialDays = 30;
    private const decimal Rate = 0.015m;
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    [Fact]
    public void A_first_connection_uses_its_day_and_the_trial_ends_on_the_thirtieth_Moscow_day()
    {
        // 01:00 in Moscow on 2 November is still 1 November in UTC.
        var session = StarProductsRules.Connect(new DateTimeOffset(2026, 11, 2, 1, 0, 0, Moscow), usedBefore: 0, lastCountedDay: null);

        Assert.Equal(new DateOnly(2026, 11, 2), session.FirstDay);
        Assert.Equal(1, session.UsedThroughFirstDay);
        Assert.Equal(new DateOnly(2026, 12, 1), StarProductsRules.TrialEndsOn(session, TrialDays));
        Assert.Equal(30, StarProductsRules.UsedThrough(session, new DateOnly(2026, 12, 1)));
        Assert.True(StarProductsRules.IsTrialDay(session, new DateOnly(2026, 12, 1), TrialDays));
        Assert.False(StarProductsRules.IsTrialDay(session, new DateOnly(2026, 12, 2), TrialDays));
    }

    [Fact]
    public void Rejoining_on_the_day_already_counted_uses_no_new_day_and_on_a_later_day_uses_one()
    {
        var day = new DateOnly(2026, 11, 18);

        var sameDay = StarProductsRules.Connect(new DateTimeOffset(2026, 11, 18, 23, 50, 0, Moscow), usedBefore: 18, lastCountedDay: day);
        Assert.Equal(18, sameDay.UsedThroughFirstDay);
        Assert.Equal(new DateOnly(2026, 11, 30), StarProductsRules.TrialEndsOn(sameDay, TrialDays));

        // Weeks later, with 12 days left: this day and 11 more are free.
        var later = StarProductsRules.Connect(new DateTimeOffset(2026, 12, 9, 10, 0, 0, Moscow), usedBefore: 18, lastCountedDay: day);
        Assert.Equal(19, later.UsedThroughFirstDay);
        Assert.Equal(new DateOnly(2026, 12, 20), StarProductsRules.TrialEndsOn(later, TrialDays));
        Assert.True(StarProductsRules.IsTrialDay(later, new DateOnly(2026, 12, 20), TrialDays));
        Assert.False(StarProductsRules.IsTrialDay(later, new DateOnly(2026, 12, 21), TrialDays));
    }

    [Fact]
    public void Rejoining_on_the_day_a_multi_day_connection_ended_counts_that_day_once()
    {
        // Connected from 2 to 4 November (Moscow): three days used, the last counted on 4 November.
        var first = StarProductsRules.Connect(new DateTimeOffset(2026, 11, 2, 10, 0, 0, Moscow), usedBefore: 0, lastCountedDay: null);
        var lastDay = new DateOnly(2026, 11, 4);
        var used = StarProductsRules.UsedThrough(first, lastDay);
        Assert.Equal(3, used);

        var rejoined = StarProductsRules.Connect(new DateTimeOffset(2026, 11, 4, 18, 0, 0, Moscow), used, lastCountedDay: lastDay);

        Assert.Equal(3, rejoined.UsedThroughFirstDay);
        Assert.Equal(3, StarProductsRules.UsedThrough(rejoined, lastDay));
        Assert.Equal(new DateOnly(2026, 12, 1), StarProductsRules.TrialEndsOn(rejoined, TrialDays));
        Assert.Equal(4, StarProductsRules.UsedThrough(rejoined, new DateOnly(2026, 11, 5)));
    }

    [Fact]
    public void A_connection_after_the_trial_has_no_free_day()
    {
        var session = StarProductsRules.Connect(new DateTimeOffset(2027, 1, 10, 10, 0, 0, Moscow), usedBefore: 30, lastCountedDay: new DateOnly(2026, 12, 20));

        Assert.Null(StarProductsRules.TrialEndsOn(session, TrialDays));
        Assert.False(StarProductsRules.IsTrialDay(session, session.FirstDay, TrialDays));
    }

    [Fact]
    public void A_session_covers_the_instants_from_its_connection_up_to_but_not_including_its_disconnection()
    {
        var connected = new DateTimeOffset(2026, 11, 2, 10, 0, 0, Moscow);
        var open = StarProductsRules.Connect(connected, 0, null);
        var closed = open with { DisconnectedAt = connected.AddHours(2) };

        Assert.False(open.Covers(connected.AddTicks(-1)));
        Assert.True(open.Covers(connected));
        Assert.True(open.Covers(connected.AddYears(1)));
        Assert.True(closed.Covers(connected.AddHours(2).AddTicks(-1)));
        Assert.False(closed.Covers(connected.AddHours(2)));
    }

    [Theory]
    [InlineData("10.30", "0.15")] // 0.1545
    [InlineData("10.70", "0.16")] // 0.1605
    [InlineData("33.00", "0.50")] // 0.495: half up, not truncated
    [InlineData("7.00", "0.11")] // 0.105: half up, not to even
    [InlineData("3.00", "0.05")] // 0.045: half up, not to even
    [InlineData("1000", "15.00")]
    [InlineData("0.01", "0.00")]
    public void The_unit_fee_is_one_and_a_half_percent_rounded_to_kopecks_half_up(string price, string fee) =>
        Assert.Equal(decimal.Parse(fee, CultureInfo.InvariantCulture), StarProductsRules.UnitFee(decimal.Parse(price, CultureInfo.InvariantCulture), Rate));

    [Fact]
    public void An_order_fee_rounds_each_unit_then_multiplies_by_the_quantity()
    {
        // 3 × 0.495 = 1.485 would round to 1.49; per unit it is 3 × 0.50.
        Assert.Equal(1.50m, StarProductsRules.Fee([new StarOrderLine("P1", 33.00m, 3)], Rate));
        Assert.Equal(0.47m, StarProductsRules.Fee([new StarOrderLine("P1", 10.30m, 1), new StarOrderLine("P2", 10.70m, 2)], Rate));
        Assert.Equal(31.70m, StarProductsRules.Compensation([new StarOrderLine("P1", 10.30m, 1), new StarOrderLine("P2", 10.70m, 2)]));
    }

    [Theory]
    [InlineData(0, 0, "0")]
    [InlineData(3, 0, "0")]
    [InlineData(1, 3, "0.3333")]
    [InlineData(2, 3, "0.6667")]
    [InlineData(3, 7, "0.4286")]
    [InlineData(5, 4, "1")]
    public void The_active_share_is_buyers_over_viewers_to_four_decimals_at_most_one(long buyers, long viewers, string share) =>
        Assert.Equal(decimal.Parse(share, CultureInfo.InvariantCulture), StarProductsRules.ActiveShare(buyers, viewers));

    [Fact]
    public void An_order_fingerprint_changes_with_its_content_and_not_with_how_it_is_written()
    {
        var customer = Guid.Parse("0c000000-0000-0000-0000-000000000001");
        var at = new DateTimeOffset(2026, 11, 3, 11, 0, 0, Moscow);
        var order = new StarOrder("O1", Guid.Empty, customer, at, [new("P1", 100m, 2), new("P2", 10.30m, 1)]);
        var fingerprint = StarProductsRules.Fingerprint(order);

        Assert.Equal(fingerprint, StarProductsRules.Fingerprint(order with
        {
            At = at.ToUniversalTime(),
            Lines = [new("P2", 10.300m, 1), new("P1", 100.00m, 2)],
        }));
        Assert.NotEqual(fingerprint, StarProductsRules.Fingerprint(order with { Lines = [new("P1", 100m, 3), new("P2", 10.30m, 1)] }));
        Assert.NotEqual(fingerprint, StarProductsRules.Fingerprint(order with { Lines = [new("P1", 100m, 2)] }));
        Assert.NotEqual(fingerprint, StarProductsRules.Fingerprint(order with { Lines = [new("P1", 100m, 2), new("P3", 10.30m, 1)] }));
        Assert.NotEqual(fingerprint, StarProductsRules.Fingerprint(order with { At = at.AddSeconds(1) }));
        Assert.NotEqual(fingerprint, StarProductsRules.Fingerprint(order with { CustomerId = Guid.NewGuid() }));
    }
}

public sealed class DistinctSketchTests
{
    [Fact]
    public void A_window_of_exact_days_is_counted_exactly_however_many_values_the_days_hold_together()
    {
        // 90 days of 400 distinct customers each (exact days), 36,000 in all: far past what one stored sketch keeps exactly.
        var window = new DistinctSketch(DistinctSketch.QuerySparseLimit);
        var stored = new DistinctSketch();
        for (var day = 0; day < 90; day++)
        {
            var daily = new DistinctSketch();
            for (var i = 0; i < 400; i++)
            {
                daily.Add($"customer-{day}-{i}");
            }

            Assert.True(daily.IsExact);
            var copy = DistinctSketch.Deserialize(daily.Serialize());
            window.UnionWith(copy);
            stored.UnionWith(copy);
        }

        Assert.True(window.IsExact);
        Assert.Equal(36_000, window.Count());
        Assert.False(stored.IsExact);
    }

    [Fact]
    public void Up_to_512_distinct_values_are_counted_exactly()
    {
        var sketch = new DistinctSketch();
        for (var i = 1; i <= DistinctSketch.SparseLimit; i++)
        {
            sketch.Add($"customer-{i}");
            Assert.Equal(i, sketch.Count());
        }

        Assert.True(sketch.IsExact);
        sketch.Add("customer-513");
        Assert.False(sketch.IsExact);
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(100_000)]
    [InlineData(1_000_000)]
    public void Many_distinct_values_are_estimated_within_two_percent(int distinct)
    {
        var sketch = new DistinctSketch();
        for (var i = 0; i < distinct; i++)
        {
            sketch.Add(CustomerId(i).ToString());
        }

        var error = Math.Abs(sketch.Count() - distinct) / (double)distinct;
        Assert.True(error < 0.02, $"{sketch.Count()} estimated for {distinct} distinct values ({error:P2} off)");
        Assert.True(sketch.Serialize().Length <= 8 + (DistinctSketch.Registers * 4 / 3), "the sketch stays bounded");
    }

    [Theory]
    [InlineData(100, 300)]
    [InlineData(400, 400)]
    [InlineData(300, 20_000)]
    [InlineData(15_000, 40_000)]
    public void The_union_of_two_sketches_is_the_sketch_of_the_union(int firstCount, int secondCount)
    {
        // The two sets overlap by half of the first.
        var first = Enumerable.Range(0, firstCount).Select(i => $"v{i}").ToList();
        var second = Enumerable.Range(firstCount / 2, secondCount).Select(i => $"v{i}").ToList();
        var (a, b, all) = (Of(first), Of(second), Of(first.Concat(second)));

        var union = Of(first);
        union.UnionWith(b);
        var reversed = Of(second);
        reversed.UnionWith(a);

        Assert.Equal(all.Serialize(), union.Serialize());
        Assert.Equal(all.Serialize(), reversed.Serialize());
        Assert.Equal(all.Count(), union.Count());
        if (all.IsExact)
        {
            Assert.Equal(first.Union(second).Count(), union.Count());
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(5_000)]
    public void Adding_a_value_again_or_a_sketch_to_itself_changes_nothing(int count)
    {
        var values = Enumerable.Range(0, count).Select(i => $"order-{i}").ToList();
        var sketch = Of(values);
        var before = sketch.Serialize();

        foreach (var value in values)
        {
            sketch.Add(value);
        }

        sketch.UnionWith(DistinctSketch.Deserialize(before));
        Assert.Equal(before, sketch.Serialize());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(50_000)]
    public void A_sketch_survives_a_serialization_round_trip(int count)
    {
        var sketch = Of(Enumerable.Range(0, count).Select(i => $"viewer-{i}"));

        var copy = DistinctSketch.Deserialize(sketch.Serialize());

        Assert.Equal(sketch.Serialize(), copy.Serialize());
        Assert.Equal(sketch.Count(), copy.Count());
        Assert.Equal(sketch.IsExact, copy.IsExact);
        copy.Add("viewer-new");
        sketch.Add("viewer-new");
        Assert.Equal(sketch.Serialize(), copy.Serialize());
    }

    [Fact]
    public void Nothing_stored_is_an_empty_sketch_and_the_hash_is_stable()
    {
        Assert.Equal(0, DistinctSketch.Deserialize(null).Count());
        Assert.Equal(0, DistinctSketch.Deserialize("").Count());
        Assert.Equal(DistinctSketch.Hash("customer-1"), DistinctSketch.Hash("customer-1"));
        Assert.NotEqual(DistinctSketch.Hash("customer-1"), DistinctSketch.Hash("customer-2"));
    }

    private static DistinctSketch Of(IEnumerable<string> values)
    {
        var sketch = new DistinctSketch();
        foreach (var value in values)
        {
            sketch.Add(value);
        }

        return sketch;
    }

    /// <summary>A deterministic GUID per number, shaped like the customer ids the program counts.</summary>
    private static Guid CustomerId(int i)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, i);
        BitConverter.TryWriteBytes(bytes[8..], i * 2654435761L);
        return new Guid(bytes);
    }
}
