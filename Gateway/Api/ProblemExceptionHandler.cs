using System.Reflection;
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
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, "payload-too-large", "The request body is too large."),
            BadHttpRequestException bad => (bad.StatusCode, "invalid-request", BadRequestDetail(bad)),
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

    /// <summary>
    /// What was wrong with a body the JSON reader refused, naming the field (<c>lines[0].price</c>) and, for an enum,
    /// the values it takes.
    /// </summary>
    private static string BadRequestDetail(BadHttpRequestException bad)
    {
        if (bad.InnerException is not System.Text.Json.JsonException json)
        {
            return bad.Message;
        }

        var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        if (field is null)
        {
            return "The body is not valid JSON of the expected shape.";
        }

        const string cannotConvert = "The JSON value could not be converted to ";
        if (json.Message.StartsWith(cannotConvert, StringComparison.Ordinal))
        {
            // The message names the type that holds the field (a request record), or the field's own type.
            var typeName = json.Message[cannotConvert.Length..].Split(". Path:")[0];
            var named = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
            var member = field.Split('.')[^1].Split('[')[0];
            var type = named?.GetProperty(member, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType ?? named;
            type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
            return type switch
            {
                { IsEnum: true } => $"'{field}' must be one of: {string.Join(", ", Enum.GetNames(type))}.",
                _ when type == typeof(int) || type == typeof(long) || type == typeof(decimal) || type == typeof(double) =>
                    $"'{field}' must be a number.",
                _ when type == typeof(Guid) => $"'{field}' must be an id (a GUID).",
                _ when type == typeof(bool) => $"'{field}' must be true or false.",
                _ when type == typeof(string) => $"'{field}' must be a string.",
                _ => $"'{field}' has the wrong type.",
            };
        }

        // Our converters' messages ("must be an ISO-8601 instant …") read after the field name.
        return json.Message.StartsWith("must ", StringComparison.Ordinal) ? $"'{field}' {json.Message}" : $"'{field}' is not valid.";
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
