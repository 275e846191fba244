namespace OzonActors.Gateway;

/// <summary>Source-generated log messages of the gateway. Event ids 2000–2099 auth, 2100–2199 live events, 2200 API.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(2000, LogLevel.Warning,
        "Gateway:Jwt:SigningKey is not set: a random development key is used. Tokens die with this process and are not accepted by other gateways.")]
    public static partial void GeneratedSigningKey(ILogger logger);

    [LoggerMessage(2001, LogLevel.Warning, "Gateway:InternalApiKey is not set: the Development default 'dev-internal-key' is used.")]
    public static partial void DefaultInternalApiKey(ILogger logger);

    [LoggerMessage(2200, LogLevel.Error, "Unhandled error on {Method} {Path}.")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path);
}
