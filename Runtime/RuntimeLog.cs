using Microsoft.Extensions.Logging;

namespace OzonActors.Runtime;

/// <summary>Source-generated log messages. Event ids: 1000 activation, 1100 storage, 1200 reminders, 1300 events, 1400 hosting.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(1000, LogLevel.Warning, "Activation of {GrainId} failed; the call gets the exception and the next call retries.")]
    public static partial void ActivationFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(1001, LogLevel.Warning, "OnDeactivateAsync of {GrainId} threw; the activation is released anyway.")]
    public static partial void DeactivationFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(1100, LogLevel.Warning,
        "STATE IS NOT DURABLE: the in-memory storage provider is in use (ConnectionStrings:Postgres is not set). Every grain, reminder and event is lost when this process stops.")]
    public static partial void InMemoryStorage(this ILogger logger);

    [LoggerMessage(1101, LogLevel.Information, "PostgreSQL storage in schema '{Schema}'; applied migrations {Applied}.")]
    public static partial void PostgresReady(this ILogger logger, string schema, string applied);

    [LoggerMessage(1200, LogLevel.Warning, "Reminder '{Name}' of {GrainId} (attempt {Attempt}) failed; retrying at {RetryAt}.")]
    public static partial void ReminderFailed(this ILogger logger, Exception exception, string name, GrainId grainId, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(1201, LogLevel.Error, "The reminder loop failed; it retries after {Delay}.")]
    public static partial void ReminderLoopFailed(this ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(1300, LogLevel.Error, "The event {Task} failed; it retries after {Delay}.")]
    public static partial void EventLoopFailed(this ILogger logger, Exception exception, string task, TimeSpan delay);

    [LoggerMessage(1301, LogLevel.Information, "Removed {Count} events older than {Cutoff}.")]
    public static partial void EventsTrimmed(this ILogger logger, int count, DateTimeOffset cutoff);
}
