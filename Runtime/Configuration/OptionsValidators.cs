using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OzonActors.Runtime.Configuration;

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

internal sealed class RuntimeOptionsValidator : IValidateOptions<RuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, RuntimeOptions options) =>
        new OptionsChecks(RuntimeOptions.Section)
            .Positive(nameof(options.CallTimeout), options.CallTimeout)
            .Positive(nameof(options.CollectionAge), options.CollectionAge)
            .Positive(nameof(options.CollectionQuantum), options.CollectionQuantum)
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

internal sealed class ReminderOptionsValidator : IValidateOptions<ReminderOptions>
{
    public ValidateOptionsResult Validate(string? name, ReminderOptions options) =>
        new OptionsChecks(ReminderOptions.Section)
            .Positive(nameof(options.PollInterval), options.PollInterval)
            .Positive(nameof(options.BatchSize), options.BatchSize)
            .Positive(nameof(options.MaxConcurrentDeliveries), options.MaxConcurrentDeliveries)
            .Positive(nameof(options.LeaseDuration), options.LeaseDuration)
            .Positive(nameof(options.RetryMinDelay), options.RetryMinDelay)
            .That(options.RetryMaxDelay >= options.RetryMinDelay, nameof(options.RetryMaxDelay), options.RetryMaxDelay,
                "must not be shorter than Reminders:RetryMinDelay")
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
