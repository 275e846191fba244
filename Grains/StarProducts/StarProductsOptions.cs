using Microsoft.Extensions.Options;

namespace OzonActors.Grains.StarProducts;

/// <summary>Star Products rules (configuration section <c>StarProducts</c>); defaults are the values of RULES §2.</summary>
public sealed class StarProductsOptions
{
    public const string Section = "StarProducts";

    /// <summary>Free days per seller, in total.</summary>
    public int TrialDays { get; set; } = 30;

    /// <summary>The fee per unit ordered after the trial, as a share of the seller price.</summary>
    public decimal FeeRate { get; set; } = 0.015m;

    /// <summary>Days after the first activation before analytics open.</summary>
    public int AnalyticsAfterDays { get; set; } = 14;

    /// <summary>How long connection history is kept.</summary>
    public int HistoryMonths { get; set; } = 12;
}

/// <summary>Checks <see cref="StarProductsOptions"/> at start, naming the key and value of each failure.</summary>
public sealed class StarProductsOptionsValidator : IValidateOptions<StarProductsOptions>
{
    public ValidateOptionsResult Validate(string? name, StarProductsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.TrialDays < 0)
        {
            failures.Add($"StarProducts:TrialDays must not be negative (was '{options.TrialDays}').");
        }

        if (options.FeeRate is < 0 or >= 1)
        {
            failures.Add($"StarProducts:FeeRate must be at least 0 and below 1 (was '{options.FeeRate}').");
        }

        if (options.AnalyticsAfterDays < 0)
        {
            failures.Add($"StarProducts:AnalyticsAfterDays must not be negative (was '{options.AnalyticsAfterDays}').");
        }

        if (options.HistoryMonths < 1)
        {
            failures.Add($"StarProducts:HistoryMonths must be at least 1 (was '{options.HistoryMonths}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
