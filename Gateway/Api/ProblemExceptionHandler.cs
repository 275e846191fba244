using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Orleans.Runtime;
using Orleans.Storage;
using OzonActors.Persistence;
using OzonActors.Persistence.Hosting;

namespace OzonActors.Gateway.Api;

/// <summary>
/// Maps exceptions to ProblemDetails once, at the edge: a broken business rule to its status and stable type,
/// bad input to 400, a lost optimistic race to 409 (retry), anything unexpected to a logged 500.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log,
    ClusterConnection? connection = null) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = exception switch
        {
            DomainException domain => (StatusOf(domain.Kind), domain.Code, domain.Message),
            BadHttpRequestException bad => (bad.StatusCode, "invalid-request", bad.Message),
            InconsistentStateException => (StatusCodes.Status409Conflict, "concurrent-update", "Someone changed this at the same time; try again."),
            GrainStorageException => (StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Storage is unavailable; try again."),
            // A silo died and is not yet declared dead, or the cluster is unreachable: nothing was applied; retrying shortly works.
            _ when ClusterFailures.NotDelivered(exception, connection) =>
                (StatusCodes.Status503ServiceUnavailable, "cluster-unavailable", "The service is moving work between servers; try again."),

            // No answer in time: a read may simply be sent again, but a command may still be applied (a frozen server
            // applies what it had queued when it wakes): say so, rather than "try again".
            _ when ClusterFailures.Unanswered(exception)
                && !IdempotentCommands.MaySendAgain(context, context.Features.Get<IExceptionHandlerFeature>()?.Endpoint) =>
                (StatusCodes.Status503ServiceUnavailable, "outcome-unknown",
                    "The service did not answer in time, and the change may still be applied: check before sending it again."),
            TimeoutException or SiloUnavailableException =>
                (StatusCodes.Status503ServiceUnavailable, "timeout", "The request took too long; try again."),
            _ => (StatusCodes.Status500InternalServerError, "internal", "An unexpected error occurred."),
        };
        if (status == StatusCodes.Status500InternalServerError)
        {
            GatewayLog.UnhandledError(log, exception, context.Request.Method, context.Request.Path);
        }

        if (exception is DomainException { RetryAfter: { } retryAfter })
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // Failover, a storage hiccup or a slow turn: a silo is declared dead in about 3 s, and then its grains answer elsewhere.
            context.Response.Headers.RetryAfter = "2";
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Type = ProblemTypes.For(code),
                Title = ReasonPhrase(status),
                Detail = detail,
            },
        });
    }

    private static int StatusOf(DomainErrorKind kind) => kind switch
    {
        DomainErrorKind.Invalid => StatusCodes.Status400BadRequest,
        DomainErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        DomainErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
        DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
        DomainErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
