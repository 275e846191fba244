using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OzonActors.Persistence.Configuration;

/// <summary>Collects failures that name the configuration key and the value found.</summary>
internal sealed class OptionsChecks(string section)
{
    private readonly List<string> _failures = [];

    public OptionsChecks Positive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            _failures.Add($"{section}:{key} must be a positive duration (was '{value}').");
        }

        return this;
    }

    public OptionsChecks Positive(string key, int value)
    {
        if (value <= 0)
        {
            _failures.Add($"{section}:{key} must be a positive number (was '{value}').");
        }

        return this;
    }

    public OptionsChecks That(bool condition, string key, object? value, string rule)
    {
        if (!condition)
        {
            _failures.Add($"{section}:{key} {rule} (was '{value}').");
        }

        return this;
    }

    public ValidateOptionsResult Result() =>
        _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}

internal sealed class ClusterOptionsValidator : IValidateOptions<OzonClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, OzonClusterOptions options) =>
        new OptionsChecks(OzonClusterOptions.Section)
            .That(!string.IsNullOrWhiteSpace(options.ClusterId), nameof(options.ClusterId), options.ClusterId, "must not be empty")
            .That(!string.IsNullOrWhiteSpace(options.ServiceId), nameof(options.ServiceId), options.ServiceId, "must not be empty")
            .That(options.SiloPort is > 0 and < 65536, nameof(options.SiloPort), options.SiloPort, "must be a TCP port")
            .That(options.GatewayPort is > 0 and < 65536, nameof(options.GatewayPort), options.GatewayPort, "must be a TCP port")
            .That(options.AdvertisedIP is null || System.Net.IPAddress.TryParse(options.AdvertisedIP, out _),
                nameof(options.AdvertisedIP), options.AdvertisedIP, "must be an IP address")
            .That(options.ClientResponseTimeout >= TimeSpan.FromSeconds(1) && options.ClientResponseTimeout <= TimeSpan.FromMinutes(5),
                nameof(options.ClientResponseTimeout), options.ClientResponseTimeout, "must be between 00:00:01 and 00:05:00")
            .Result();
}

internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        new OptionsChecks(StorageOptions.Section)
            .That(SchemaName().IsMatch(options.Schema), nameof(options.Schema), options.Schema,
                "must be a lower-case SQL identifier of at most 48 characters")
            .Result();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,47}$")]
    internal static partial Regex SchemaName();
}

internal sealed class DeadlineOptionsValidator : IValidateOptions<DeadlineOptions>
{
    public ValidateOptionsResult Validate(string? name, DeadlineOptions options) =>
        new OptionsChecks(DeadlineOptions.Section)
            .That(options.RetryPeriod >= TimeSpan.FromSeconds(1), nameof(options.RetryPeriod), options.RetryPeriod,
                "must be at least one second (each tick of a due deadline costs a grain call)")
            .Result();
}

internal sealed class EventLogOptionsValidator : IValidateOptions<EventLogOptions>
{
    public ValidateOptionsResult Validate(string? name, EventLogOptions options) =>
        new OptionsChecks(EventLogOptions.Section)
            .Positive(nameof(options.Retention), options.Retention)
            .Positive(nameof(options.CleanupInterval), options.CleanupInterval)
            .Positive(nameof(options.PollInterval), options.PollInterval)
            .Positive(nameof(options.ReadBatchSize), options.ReadBatchSize)
            .Result();
}
