namespace OzonActors.Gateway.Api;

/// <summary>Stable ProblemDetails <c>type</c> URIs.</summary>
public static class ProblemTypes
{
    public const string Base = "https://ozon-actors/errors/";

    public static string For(string code) => Base + code;

    /// <summary>The code for a status answered without a more specific one.</summary>
    public static string ForStatus(int status) => For(status switch
    {
        StatusCodes.Status400BadRequest => "invalid-request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "payload-too-large",
        StatusCodes.Status414UriTooLong => "uri-too-long",
        StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
        StatusCodes.Status429TooManyRequests => "rate-limited",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        _ => "error",
    });
}
