using Microsoft.Extensions.Options;
using Orleans.Runtime;
using OzonActors.Gateway.Auth;
using OzonActors.Persistence.Hosting;

namespace OzonActors.Gateway.Api;

/// <summary>
/// Marks a command as safe to send again: it is idempotent by a key every request of it carries (an order id, an earning
/// id), so a retry after a lost answer changes nothing twice. A command whose key is optional uses
/// <see cref="IdempotentCommands.IdempotentWhen{T}"/> instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class IdempotentCommandAttribute : Attribute;

/// <summary>Endpoint conventions for commands that are idempotent only when the client sent a key.</summary>
public static class IdempotentCommands
{
    private static readonly object Keyed = new();

    /// <summary>
    /// The command is safe to send again when its bound body passes <paramref name="hasKey"/> (e.g. a withdrawal with a
    /// <c>requestId</c>): decided on the body the endpoint itself bound, so a retry never disagrees with the handler.
    /// </summary>
    public static RouteHandlerBuilder IdempotentWhen<T>(this RouteHandlerBuilder builder, Func<T, bool> hasKey) =>
        builder.WithMetadata(new KeyedCommand()).AddEndpointFilter(async (context, next) =>
        {
            if (context.Arguments.OfType<T>().FirstOrDefault() is { } body && hasKey(body))
            {
                context.HttpContext.Items[Keyed] = true;
            }

            return await next(context);
        });

    /// <summary>
    /// True when the attempt that just ran on <paramref name="endpoint"/> may be sent again: a read, or a command idempotent
    /// by its key. (The exception handler passes the endpoint it keeps, having cleared the request's.)
    /// </summary>
    internal static bool MaySendAgain(HttpContext context, Endpoint? endpoint) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
        || endpoint?.Metadata.GetMetadata<IdempotentCommandAttribute>() is not null
        || context.Items.ContainsKey(Keyed);

    /// <summary>A command whose body is kept for a retry (it may turn out keyed).</summary>
    internal static bool MayBeRetried(HttpContext context) =>
        context.GetEndpoint()?.Metadata is { } metadata
        && (metadata.GetMetadata<IdempotentCommandAttribute>() is not null || metadata.GetMetadata<KeyedCommand>() is not null);

    private sealed class KeyedCommand;
}

/// <summary>Failures that mean "the cluster is moving work between silos".</summary>
internal static class ClusterFailures
{
    /// <summary>
    /// The request never reached a grain: it was rejected because its silo is gone and not yet declared dead, its
    /// connection could not be made, or a client gateway has not reached any silo yet (then every grain call fails, even
    /// with "no implementation for this interface"). Sending it again is safe whatever it was.
    /// </summary>
    public static bool NotDelivered(Exception exception, ClusterConnection? connection) =>
        exception is (OrleansMessageRejectionException and not SiloUnavailableException) or Orleans.Runtime.Messaging.ConnectionFailedException
        || (connection is { IsConnected: false } && exception is not BadHttpRequestException and not DomainException);

    /// <summary>
    /// The request may have reached its grain, but no answer came: it timed out (a gateway silo forwarded it to a silo that
    /// then died or froze: a frozen silo may still apply it when it wakes), or its silo was declared dead while it waited.
    /// Sending a read or a keyed command again is safe; anything else has an unknown outcome.
    /// </summary>
    public static bool Unanswered(Exception exception) => exception is TimeoutException or SiloUnavailableException;
}

/// <summary>
/// Until the cluster declares a killed silo dead (about 3 s), calls to its grains fail fast. Reads, and commands idempotent
/// by a key they carry, are retried here with backoff while <c>Gateway:ClusterRetryBudget</c> lasts (an attempt under way
/// may add one response timeout, <c>Orleans:ClientResponseTimeout</c>). Anything else, or a retry out of time, is answered
/// 503 with <c>Retry-After</c> by the exception handler — never 500. It runs after authentication, so an anonymous caller
/// cannot make the gateway keep bodies.
/// </summary>
internal sealed class ClusterRetryMiddleware(RequestDelegate next, IOptions<GatewayOptions> options, ILogger<ClusterRetryMiddleware> log,
    ClusterConnection? connection = null)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        var safeMethod = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        if (!safeMethod && !IdempotentCommands.MayBeRetried(context))
        {
            await next(context);
            return;
        }

        if (!safeMethod)
        {
            context.Request.EnableBuffering();
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
            catch (Exception exception) when ((ClusterFailures.NotDelivered(exception, connection) || ClusterFailures.Unanswered(exception))
                && IdempotentCommands.MaySendAgain(context, context.GetEndpoint()) && !context.Response.HasStarted
                && elapsed.Elapsed + delay < options.Value.ClusterRetryBudget && !context.RequestAborted.IsCancellationRequested)
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
}
