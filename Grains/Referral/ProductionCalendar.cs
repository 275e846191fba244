using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OzonActors.Grains.Referral;

/// <summary>
/// Working days of the Russian production calendar: the shipped data (<c>production-calendar.json</c>), replaced year by
/// year by <c>Referral:Calendar:Path</c> and then by <c>Referral:Calendar:Years</c>, so a new year needs no release. A year
/// without data falls back to "Saturday and Sunday are days off", and says so in the log once.
/// </summary>
public sealed partial class ProductionCalendar
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<int, (HashSet<DateOnly> DaysOff, HashSet<DateOnly> WorkingWeekendDays)> _years = [];
    private readonly ConcurrentDictionary<int, bool> _warned = new();
    private readonly ILogger<ProductionCalendar> _log;

    public ProductionCalendar(IOptions<ReferralOptions> options, ILogger<ProductionCalendar> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        using (var shipped = typeof(ProductionCalendar).Assembly.GetManifestResourceStream("OzonActors.Grains.production-calendar.json")!)
        {
            Load(JsonSerializer.Deserialize<CalendarFile>(shipped, Json)!);
        }

        var calendar = options.Value.Calendar;
        if (calendar.Path is { Length: > 0 } path)
        {
            Load(JsonSerializer.Deserialize<CalendarFile>(File.ReadAllText(path), Json)!);
        }

        Load(new CalendarFile { Years = calendar.Years });
    }

    /// <summary>Years the calendar has facts for.</summary>
    public IReadOnlyCollection<int> KnownYears => _years.Keys;

    public bool IsWorkingDay(DateOnly day)
    {
        var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        if (!_years.TryGetValue(day.Year, out var facts))
        {
            if (_warned.TryAdd(day.Year, true))
            {
                LogUnknownYear(_log, day.Year);
            }

            return !weekend;
        }

        return weekend ? facts.WorkingWeekendDays.Contains(day) : !facts.DaysOff.Contains(day);
    }

    /// <summary><paramref name="day"/> itself if it is a working day, else the next one.</summary>
    public DateOnly OnOrAfter(DateOnly day)
    {
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>When <paramref name="month"/> is settled: day <paramref name="rewardDay"/> of the next month, moved to the next working day.</summary>
    public DateOnly RewardDate(DateOnly month, int rewardDay)
    {
        var next = new DateOnly(month.Year, month.Month, 1).AddMonths(1);
        return OnOrAfter(new DateOnly(next.Year, next.Month, rewardDay));
    }

    /// <summary>The instant the reward date begins in Moscow.</summary>
    public DateTimeOffset RewardInstant(DateOnly month, int rewardDay) => BusinessCalendar.StartOf(RewardDate(month, rewardDay));

    private void Load(CalendarFile file)
    {
        foreach (var (year, data) in file.Years)
        {
            _years[int.Parse(year, System.Globalization.CultureInfo.InvariantCulture)] = ([.. data.DaysOff], [.. data.WorkingWeekendDays]);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "The production calendar has no data for {Year}: Saturdays and Sundays are treated as the only days off. Add the year through Referral:Calendar.")]
    private static partial void LogUnknownYear(ILogger logger, int year);

    private sealed class CalendarFile
    {
        public Dictionary<string, ProductionCalendarYear> Years { get; set; } = [];
    }
}
