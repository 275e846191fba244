namespace OzonActors.Gateway;

/// <summary>Source-generated log messages of the gateway. Event ids 2000–2099 auth, 2100–2199 live events, 2200 API.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(2000, LogLevel.Warning,
        "Gateway:Jwt:SigningKey is not set: a random development key is used. Tokens die with this process and are not accepted by other gateways.")]
    public static partial void GeneratedSigningKey(ILogger logger);

    [LoggerMessage(2001, LogLevel.Warning, "Gateway:InternalApiKey is not set: the Development default 'dev-internal-key' is used.")]
    public static partial void DefaultInternalApiKey(ILogger logger);

    [LoggerMessage(2100, LogLevel.Information, "Live events: the reader starts after position {Position}.")]
    public static partial void LiveDispatcherStarted(ILogger logger, string position);

    [LoggerMessage(2101, LogLevel.Error, "The live event reader failed after position {Position}; it resumes from there after {Delay}.")]
    public static partial void LiveDispatcherFailed(ILogger logger, Exception exception, string position, TimeSpan delay);

    [LoggerMessage(2102, LogLevel.Warning, "Sending live event {Position} failed.")]
    public static partial void LiveSendFailed(ILogger logger, Exception exception, string position);

    [LoggerMessage(2103, LogLevel.Warning,
        "More than {Count} live event sends are unflushed: a client reads slowly, and the reader waits for its oldest send.")]
    public static partial void LiveSendsBackedUp(ILogger logger, int count);

    [LoggerMessage(2104, LogLevel.Debug, "Live connection {ConnectionId} joined {Groups}.")]
    public static partial void LiveConnected(ILogger logger, string connectionId, IEnumerable<string> groups);

    [LoggerMessage(2105, LogLevel.Debug, "Live connection {ConnectionId} resumed after {After} up to {UpTo}: {Count} events.")]
    public static partial void LiveResumed(ILogger logger, string connectionId, string after, string upTo, int count);

    [LoggerMessage(2106, LogLevel.Warning, "Resume of live connection {ConnectionId} failed in storage.")]
    public static partial void LiveResumeFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(2200, LogLevel.Error, "Unhandled error on {Method} {Path}.")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(2201, LogLevel.Information, "{Method} {Path}: attempt {Attempt} failed with {Failure} (a silo is gone); retrying.")]
    public static partial void RetryingAfterClusterFailure(ILogger logger, string method, string path, int attempt, string failure);
}
