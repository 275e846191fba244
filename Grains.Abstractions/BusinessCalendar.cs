using System.Globalization;

namespace OzonActors;

/// <summary>Calendar days and reporting periods in the business time zone, Europe/Moscow.</summary>
public static class BusinessCalendar
{
    /// <summary>Europe/Moscow, or its fixed UTC+3 when the machine has no time-zone data.</summary>
    public static TimeZoneInfo Zone { get; } = FindMoscow();

    /// <summary>The Moscow calendar date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>The instant a Moscow calendar day starts.</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>The reporting period (1st–15th or 16th–end of month) holding <paramref name="day"/>: its first and last day.</summary>
    public static (DateOnly From, DateOnly To) PeriodOf(DateOnly day) => day.Day <= 15
        ? (new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, 15))
        : (new DateOnly(day.Year, day.Month, 16), new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month)));

    /// <summary>A period's name, <c>yyyy-MM-1</c> or <c>yyyy-MM-2</c>, in the Gregorian calendar whatever the current culture.</summary>
    public static string PeriodName(DateOnly from) => string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM}-{(from.Day == 1 ? 1 : 2)}");

    /// <summary>Parses a period name (<c>2026-11-1</c>) to its first day, or null.</summary>
    public static DateOnly? ParsePeriod(string? name)
    {
        if (name is not { Length: 9 } || name[7] != '-' || name[8] is not ('1' or '2')
            || !DateOnly.TryParseExact(name[..7] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return null;
        }

        return name[8] == '1' ? month : month.AddDays(15);
    }

    private static TimeZoneInfo FindMoscow()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("MSK", TimeSpan.FromHours(3), "Moscow", "MSK");
        }
    }
}
