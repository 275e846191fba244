using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using OzonActors.Gateway.Auth;
using OzonActors.Persistence.Hosting;

namespace OzonActors.Gateway.Api;

/// <summary>
/// Marks a command as safe to send again: it is idempotent by a key the request carries, so a retry after a lost answer
/// changes nothing twice. With <see cref="BodyKey"/>, only requests whose JSON body has that property (non-empty) are.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class IdempotentCommandAttribute(string? bodyKey = null) : Attribute
{
    public string? BodyKey { get; } = bodyKey;
}

/// <summary>Failures that mean "the cluster is moving work between silos": retrying shortly succeeds.</summary>
internal static class ClusterFailures
{
    /// <summary>
    /// A silo died and is not yet declared dead (the call is rejected or its connection broke), or a client gateway has
    /// not reached any silo yet (then every grain call fails, even with "no implementation for this interface").
    /// </summary>
    public static bool IsUnavailable(Exception exception, ClusterConnection? connection) =>
        exception is OrleansMessageRejectionException or SiloUnavailableException or Orleans.Runtime.Messaging.ConnectionFailedException
        || (connection is { IsConnected: false } && exception is not BadHttpRequestException and not DomainException);

    /// <summary>
    /// Unavailable, or a call that got no answer in time (a gateway silo forwarded it to a silo that then died): either
    /// way, sending a read or a keyed command again is safe.
    /// </summary>
    public static bool IsRetryable(Exception exception, ClusterConnection? connection) =>
        exception is TimeoutException || IsUnavailable(exception, connection);
}

/// <summary>
/// Until the cluster declares a killed silo dead (about 3 s), calls to its grains fail fast. Reads, and commands idempotent
/// by a key they carry (<see cref="IdempotentCommandAttribute"/>), are retried here with backoff within
/// <c>Gateway:ClusterRetryBudget</c>; anything else, or a retry out of time, is answered 503 with <c>Retry-After</c> by the
/// exception handler — never 500.
/// </summary>
internal sealed class ClusterRetryMiddleware(RequestDelegate next, IOptions<GatewayOptions> options, ILogger<ClusterRetryMiddleware> log,
    ClusterConnection? connection = null)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!await IsRetrySafeAsync(context))
        {
            await next(context);
            return;
        }

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await next(context);
                return;
            }
            catch (Exception exception) when (ClusterFailures.IsRetryable(exception, connection) && !context.Response.HasStarted
                && elapsed.Elapsed + delay < options.Value.ClusterRetryBudget
                && !context.RequestAborted.IsCancellationRequested)
            {
                GatewayLog.RetryingAfterClusterFailure(log, context.Request.Method, context.Request.Path, attempt, exception.GetType().Name);
            }

            await Task.Delay(delay, context.RequestAborted);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            if (context.Request.Body.CanSeek)
            {
                context.Request.Body.Position = 0;
            }
        }
    }

    private static async Task<bool> IsRetrySafeAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            return true;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentCommandAttribute>() is not { } command)
        {
            return false;
        }

        context.Request.EnableBuffering();
        if (command.BodyKey is null)
        {
            return true;
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.EnumerateObject().Any(p => p.Name.Equals(command.BodyKey, StringComparison.OrdinalIgnoreCase)
                    && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: > 0 });
        }
        catch (JsonException)
        {
            return false; // the endpoint answers the bad body with its own 400
        }
        finally
        {
            context.Request.Body.Position = 0;
        }
    }
}
