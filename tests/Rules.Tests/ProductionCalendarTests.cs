using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OzonActors.Grains.Referral;

namespace OzonActors.Rules.Tests;

public sealed class ProductionCalendarTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    /// <summary>The checks of shared/data/ru-production-calendar/README.md: the 15th and the working day it moves to.</summary>
    [Theory]
    [InlineData("2025-02-15", "2025-02-17")]
    [InlineData("2025-06-15", "2025-06-16")]
    [InlineData("2025-11-15", "2025-11-17")]
    [InlineData("2026-03-15", "2026-03-16")]
    [InlineData("2026-08-15", "2026-08-17")]
    public void A_weekend_15th_moves_to_the_next_working_day(string day, string expected)
    {
        var calendar = Calendar();

        Assert.False(calendar.IsWorkingDay(DateOnly.Parse(day)));
        Assert.Equal(DateOnly.Parse(expected), calendar.OnOrAfter(DateOnly.Parse(day)));
    }

    [Fact]
    public void The_new_year_holidays_of_2026_run_to_Sunday_11_January()
    {
        var calendar = Calendar();

        Assert.Equal(DayOfWeek.Thursday, new DateOnly(2026, 1, 1).DayOfWeek);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 1, 1)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 1, 9)));
        Assert.Equal(new DateOnly(2026, 1, 12), calendar.OnOrAfter(new DateOnly(2026, 1, 1)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 1, 12)));
    }

    /// <summary>
    /// The reward date of each month from December 2024 to December 2026, derived by hand from the XML facts: the 15th
    /// of the following month, moved to the next working day (2027 has no facts: weekends only).
    /// </summary>
    public static TheoryData<string, string> RewardDates() => new()
    {
        { "2024-12", "2025-01-15" }, // Wed
        { "2025-01", "2025-02-17" }, // Sat 15 → Mon 17
        { "2025-02", "2025-03-17" }, // Sat 15 → Mon 17
        { "2025-03", "2025-04-15" }, // Tue
        { "2025-04", "2025-05-15" }, // Thu
        { "2025-05", "2025-06-16" }, // Sun 15 → Mon 16
        { "2025-06", "2025-07-15" }, // Tue
        { "2025-07", "2025-08-15" }, // Fri
        { "2025-08", "2025-09-15" }, // Mon
        { "2025-09", "2025-10-15" }, // Wed
        { "2025-10", "2025-11-17" }, // Sat 15 → Mon 17
        { "2025-11", "2025-12-15" }, // Mon
        { "2025-12", "2026-01-15" }, // Thu
        { "2026-01", "2026-02-16" }, // Sun 15 → Mon 16
        { "2026-02", "2026-03-16" }, // Sun 15 → Mon 16
        { "2026-03", "2026-04-15" }, // Wed
        { "2026-04", "2026-05-15" }, // Fri
        { "2026-05", "2026-06-15" }, // Mon
        { "2026-06", "2026-07-15" }, // Wed
        { "2026-07", "2026-08-17" }, // Sat 15 → Mon 17
        { "2026-08", "2026-09-15" }, // Tue
        { "2026-09", "2026-10-15" }, // Thu
        { "2026-10", "2026-11-16" }, // Sun 15 → Mon 16
        { "2026-11", "2026-12-15" }, // Tue
        { "2026-12", "2027-01-15" }, // Fri (no facts for 2027: weekends only)
    };

    [Theory]
    [MemberData(nameof(RewardDates))]
    public void Each_month_is_settled_on_its_reward_date_at_Moscow_midnight(string month, string rewardDate)
    {
        var calendar = Calendar();
        var first = DateOnly.Parse(month + "-01");
        var expected = DateOnly.Parse(rewardDate);

        Assert.Equal(expected, calendar.RewardDate(first, 15));
        Assert.Equal(expected, calendar.RewardDate(first.AddDays(20), 15));
        Assert.Equal(new DateTimeOffset(expected.Year, expected.Month, expected.Day, 0, 0, 0, Moscow), calendar.RewardInstant(first, 15));
    }

    /// <summary>Working days per year as the government published them: 248 in 2024, 247 in 2025 and 2026.</summary>
    [Theory]
    [InlineData(2024, 248)]
    [InlineData(2025, 247)]
    [InlineData(2026, 247)]
    public void The_shipped_years_have_the_published_number_of_working_days(int year, int workingDays)
    {
        var calendar = Calendar();
        var first = new DateOnly(year, 1, 1);

        Assert.Equal(workingDays, Enumerable.Range(0, first.AddYears(1).DayNumber - first.DayNumber).Count(d => calendar.IsWorkingDay(first.AddDays(d))));
    }

    /// <summary>t=3 working weekend days, and shortened working days that fall on a Saturday (t=2), are working days.</summary>
    [Theory]
    [InlineData("2024-04-27", true)]
    [InlineData("2024-11-02", true)]
    [InlineData("2024-12-28", true)]
    [InlineData("2025-11-01", true)]
    [InlineData("2025-11-03", false)]
    [InlineData("2024-04-29", false)]
    [InlineData("2025-05-08", false)]
    [InlineData("2025-12-31", false)]
    [InlineData("2026-05-11", false)]
    [InlineData("2026-04-30", true)]
    [InlineData("2026-05-16", false)]
    public void Transfers_and_shortened_days_follow_the_facts(string day, bool working)
    {
        Assert.Equal(working, Calendar().IsWorkingDay(DateOnly.Parse(day)));
    }

    [Fact]
    public void An_unknown_year_falls_back_to_weekends_and_says_so_once_in_the_log()
    {
        var log = new ListLogger();
        var calendar = Calendar(log: log);

        Assert.DoesNotContain(2031, calendar.KnownYears);
        Assert.True(calendar.IsWorkingDay(new DateOnly(2031, 1, 1)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2031, 3, 15)));
        Assert.Equal(new DateOnly(2031, 3, 17), calendar.RewardDate(new DateOnly(2031, 2, 1), 15));
        Assert.Equal(new DateOnly(2031, 5, 15), calendar.RewardDate(new DateOnly(2031, 4, 1), 15));

        var warning = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("2031", warning.Message, StringComparison.Ordinal);

        var known = new ListLogger();
        Calendar(log: known).RewardDate(new DateOnly(2026, 4, 1), 15);
        Assert.Empty(known.Entries);
    }

    [Fact]
    public void A_year_added_through_configuration_is_used_and_replaces_the_shipped_one()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // 2027: 1–8 January off, and a made-up holiday on Monday 15 February.
            ["Referral:Calendar:Years:2027:DaysOff:0"] = "2027-01-01",
            ["Referral:Calendar:Years:2027:DaysOff:1"] = "2027-01-04",
            ["Referral:Calendar:Years:2027:DaysOff:2"] = "2027-01-05",
            ["Referral:Calendar:Years:2027:DaysOff:3"] = "2027-01-06",
            ["Referral:Calendar:Years:2027:DaysOff:4"] = "2027-01-07",
            ["Referral:Calendar:Years:2027:DaysOff:5"] = "2027-01-08",
            ["Referral:Calendar:Years:2027:DaysOff:6"] = "2027-02-15",
            ["Referral:Calendar:Years:2027:WorkingWeekendDays:0"] = "2027-05-15",

            // 2026 replaced: 16 March becomes a day off.
            ["Referral:Calendar:Years:2026:DaysOff:0"] = "2026-03-16",
        }).Build();
        var log = new ListLogger();
        using var services = new ServiceCollection()
            .AddSingleton<ILogger<ProductionCalendar>>(log)
            .AddOzonGrainOptions(configuration)
            .BuildServiceProvider();
        var calendar = services.GetRequiredService<ProductionCalendar>();

        Assert.Contains(2027, calendar.KnownYears);
        Assert.Equal(new DateOnly(2027, 2, 16), calendar.RewardDate(new DateOnly(2027, 1, 1), 15));
        Assert.Equal(new DateOnly(2027, 1, 11), calendar.OnOrAfter(new DateOnly(2027, 1, 4)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 5, 15)));
        Assert.Equal(new DateOnly(2027, 5, 15), calendar.RewardDate(new DateOnly(2027, 4, 1), 15));
        Assert.Equal(new DateOnly(2027, 1, 15), calendar.RewardDate(new DateOnly(2026, 12, 1), 15));
        Assert.Equal(new DateOnly(2026, 3, 17), calendar.RewardDate(new DateOnly(2026, 2, 1), 15));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 1, 5)));
        Assert.Empty(log.Entries);
    }

    [Fact]
    public void A_calendar_file_replaces_the_shipped_years_and_configuration_replaces_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"calendar-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            { "years": {
              "2028": { "daysOff": ["2028-02-15"], "workingWeekendDays": [] },
              "2026": { "daysOff": ["2026-04-15"], "workingWeekendDays": [] } } }
            """);
        try
        {
            var options = new ReferralOptions { Calendar = { Path = path } };
            options.Calendar.Years["2026"] = new ProductionCalendarYear { DaysOff = [new DateOnly(2026, 5, 15)] };
            Assert.True(new ReferralOptionsValidator().Validate(null, options).Succeeded);
            var calendar = Calendar(options);

            Assert.Equal(new DateOnly(2028, 2, 16), calendar.RewardDate(new DateOnly(2028, 1, 1), 15));
            Assert.Equal(new DateOnly(2026, 4, 15), calendar.RewardDate(new DateOnly(2026, 3, 1), 15));
            Assert.Equal(new DateOnly(2026, 5, 18), calendar.RewardDate(new DateOnly(2026, 4, 1), 15));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Configured_years_whose_days_fall_in_another_year_are_refused_at_start()
    {
        var options = new ReferralOptions();
        options.Calendar.Years["2027"] = new ProductionCalendarYear { DaysOff = [new DateOnly(2028, 1, 1)] };
        options.Calendar.Path = "/nonexistent/calendar.json";

        var failures = new ReferralOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Referral:Calendar:Years:2027", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Referral:Calendar:Path", StringComparison.Ordinal));
        Assert.True(new ReferralOptionsValidator().Validate(null, new ReferralOptions()).Succeeded);
    }

    private static ProductionCalendar Calendar(ReferralOptions? options = null, ListLogger? log = null) =>
        new(Options.Create(options ?? new ReferralOptions()), log ?? new ListLogger());

    /// <summary>Keeps what is logged, for checks.</summary>
    private sealed class ListLogger : ILogger<ProductionCalendar>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
