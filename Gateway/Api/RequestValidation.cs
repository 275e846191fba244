using System.Text.RegularExpressions;

namespace OzonActors.Gateway.Api;

/// <summary>A request body that checks itself: required fields, lengths, formats.</summary>
public interface IValidatedRequest
{
    /// <summary>Adds a message per broken field to <paramref name="errors"/>.</summary>
    void Validate(RequestErrors errors);
}

/// <summary>Field errors of one request, in the shape of <c>ValidationProblemDetails.errors</c>.</summary>
public sealed partial class RequestErrors
{
    public Dictionary<string, string[]> Fields { get; } = [];

    public bool Any => Fields.Count > 0;

    public RequestErrors Add(string field, string message)
    {
        Fields[field] = Fields.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return this;
    }

    /// <summary>Present, not blank, at most <paramref name="maxLength"/> characters.</summary>
    public bool Text(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
            return false;
        }

        if (value.Length > maxLength)
        {
            Add(field, $"'{field}' must be at most {maxLength} characters.");
            return false;
        }

        return true;
    }

    /// <summary>A name shown on one line (a company's): <see cref="Text"/>, and no line breaks (U+2028 and U+2029 too), tabs or other control characters.</summary>
    public bool Name(string field, string? value, int maxLength)
    {
        if (!Text(field, value, maxLength))
        {
            return false;
        }

        if (value!.Any(c => char.IsControl(c)
                || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator))
        {
            Add(field, $"'{field}' must be one line without control characters.");
            return false;
        }

        return true;
    }

    public bool Required<T>(string field, T? value) where T : struct
    {
        if (value is null)
        {
            Add(field, $"'{field}' is required.");
            return false;
        }

        return true;
    }

    public void Email(string field, string? value)
    {
        if (Text(field, value, 254) && !EmailPattern().IsMatch(value!))
        {
            Add(field, $"'{field}' must be an email address.");
        }
    }

    public void Password(string field, string? value)
    {
        if (Text(field, value, 128) && value!.Length < 8)
        {
            Add(field, $"'{field}' must be at least 8 characters.");
        }
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}

/// <summary>Answers 400 ValidationProblem before the handler runs when the body breaks its rules (or is missing, unless optional).</summary>
internal sealed class ValidationFilter<T>(bool optional) : IEndpointFilter where T : IValidatedRequest
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<T>().FirstOrDefault();
        var errors = new RequestErrors();
        if (request is null && optional)
        {
            return await next(context);
        }

        if (request is null)
        {
            errors.Add("body", "A JSON body is required.");
        }
        else
        {
            request.Validate(errors);
        }

        return errors.Any
            ? TypedResults.ValidationProblem(errors.Fields, type: ProblemTypes.For("invalid-request"), title: "Bad Request")
            : await next(context);
    }
}

/// <summary>Endpoint conventions for validated bodies.</summary>
public static class ValidationEndpointExtensions
{
    public static RouteHandlerBuilder Validates<T>(this RouteHandlerBuilder builder) where T : IValidatedRequest =>
        builder.AddEndpointFilter(new ValidationFilter<T>(optional: false)).ProducesValidationProblem();

    /// <summary>Like <see cref="Validates{T}"/> for a body the endpoint may go without: checked only when sent.</summary>
    public static RouteHandlerBuilder ValidatesOptional<T>(this RouteHandlerBuilder builder) where T : IValidatedRequest =>
        builder.AddEndpointFilter(new ValidationFilter<T>(optional: true)).ProducesValidationProblem();
}
