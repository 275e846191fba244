using Microsoft.Extensions.Logging;

namespace OzonActors.Persistence;

/// <summary>Source-generated log messages. Event ids: 1100 storage, 1200 deadlines (DurableState), 1300 events.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(1100, LogLevel.Warning,
        "STATE IS NOT DURABLE: the in-memory storage provider is in use (ConnectionStrings:Postgres is not set). Every grain, reminder and event is lost when this process stops.")]
    public static partial void InMemoryStorage(this ILogger logger);

    [LoggerMessage(1101, LogLevel.Information, "PostgreSQL storage in schema '{Schema}'; applied migrations {Applied}.")]
    public static partial void PostgresReady(this ILogger logger, string schema, string applied);

    [LoggerMessage(1300, LogLevel.Error, "The event {Task} failed; it retries after {Delay}.")]
    public static partial void EventLoopFailed(this ILogger logger, Exception exception, string task, TimeSpan delay);

    [LoggerMessage(1301, LogLevel.Information, "Removed {Count} events older than {Cutoff}.")]
    public static partial void EventsTrimmed(this ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(1302, LogLevel.Information, "Removed {Count} expired grain states, index rows and operation keys.")]
    public static partial void ExpiredRowsDeleted(this ILogger logger, int count);
}
