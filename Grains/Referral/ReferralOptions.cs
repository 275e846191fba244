using Microsoft.Extensions.Options;

namespace OzonActors.Grains.Referral;

/// <summary>Referral reward rules (configuration section <c>Referral</c>); defaults are the values of RULES §3.</summary>
public sealed class ReferralOptions
{
    public const string Section = "Referral";

    public decimal MinMonthlySpend { get; set; } = 2500m;

    public long MinAccrualPoints { get; set; } = 100;

    /// <summary>The day of the following month a month is settled on (moved to the next working day).</summary>
    public int RewardDay { get; set; } = 15;

    /// <summary>The last day earnings are accepted; months before it are still settled.</summary>
    public DateOnly? ProgramEndsOn { get; set; }

    /// <summary>
    /// The replay window of the feeds' keys (order events, earnings, withdrawals, corrections): a manager forgets a key
    /// this long after applying it, at the next settlement, with the orders no key refers to any more.
    /// </summary>
    public TimeSpan KeyRetention { get; set; } = TimeSpan.FromDays(90);

    public ProductionCalendarOptions Calendar { get; set; } = new();
}

/// <summary>Where working days come from (<c>Referral:Calendar</c>): the shipped data, a file, and years given here.</summary>
public sealed class ProductionCalendarOptions
{
    /// <summary>A JSON file in the format of the shipped <c>production-calendar.json</c>; its years replace the shipped ones.</summary>
    public string? Path { get; set; }

    /// <summary>Years by number (<c>Referral:Calendar:Years:2027:DaysOff:0 = 2027-01-01</c>); they replace both of the above.</summary>
    public Dictionary<string, ProductionCalendarYear> Years { get; set; } = [];
}

/// <summary>One year of facts: days off on weekdays and working Saturdays or Sundays.</summary>
public sealed class ProductionCalendarYear
{
    public List<DateOnly> DaysOff { get; set; } = [];

    public List<DateOnly> WorkingWeekendDays { get; set; } = [];
}

/// <summary>Checks <see cref="ReferralOptions"/> at start, naming the key and value of each failure.</summary>
public sealed class ReferralOptionsValidator : IValidateOptions<ReferralOptions>
{
    public ValidateOptionsResult Validate(string? name, ReferralOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MinMonthlySpend < 0)
        {
            failures.Add($"Referral:MinMonthlySpend must not be negative (was '{options.MinMonthlySpend}').");
        }

        if (options.MinAccrualPoints < 0)
        {
            failures.Add($"Referral:MinAccrualPoints must not be negative (was '{options.MinAccrualPoints}').");
        }

        if (options.RewardDay is < 1 or > 28)
        {
            failures.Add($"Referral:RewardDay must be between 1 and 28 (was '{options.RewardDay}').");
        }

        if (options.Calendar.Path is { Length: > 0 } path && !File.Exists(path))
        {
            failures.Add($"Referral:Calendar:Path names no file (was '{path}').");
        }

        foreach (var (year, data) in options.Calendar.Years)
        {
            if (!int.TryParse(year, out var number) || data.DaysOff.Concat(data.WorkingWeekendDays).Any(d => d.Year != number))
            {
                failures.Add($"Referral:Calendar:Years:{year} must be a year whose days all fall in it (was '{year}').");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
