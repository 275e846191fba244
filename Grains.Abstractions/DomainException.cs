namespace OzonActors;

/// <summary>How a broken rule is answered at the edge (mapped once to an HTTP status).</summary>
[GenerateSerializer]
public enum DomainErrorKind
{
    /// <summary>The input breaks a rule (400).</summary>
    Invalid,

    /// <summary>The caller is not who it must be (401).</summary>
    Unauthorized,

    /// <summary>The caller may not do this (403).</summary>
    Forbidden,

    /// <summary>The thing does not exist (404).</summary>
    NotFound,

    /// <summary>The action is not allowed in the current state (409).</summary>
    Conflict,

    /// <summary>Too many attempts; try again after <see cref="DomainException.RetryAfter"/> (429).</summary>
    RateLimited,
}

/// <summary>
/// The one exception type for every broken business rule. <see cref="Code"/> is stable (it becomes the
/// ProblemDetails <c>type</c>); the message is for people.
/// </summary>
/// <remarks>Serialized by Orleans' generated codec, so its type, kind and code survive a hop between silos.</remarks>
[GenerateSerializer]
public sealed class DomainException(DomainErrorKind kind, string code, string message) : Exception(message)
{
    /// <summary>How the edge answers it.</summary>
    [Id(0)]
    public DomainErrorKind Kind { get; } = kind;

    /// <summary>A stable, kebab-case error code, e.g. <c>invalid-transition</c>.</summary>
    [Id(1)]
    public string Code { get; } = code;

    /// <summary>For <see cref="DomainErrorKind.RateLimited"/>: when trying again can succeed.</summary>
    [Id(2)]
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A 400 for input that breaks a rule.</summary>
    public static DomainException Invalid(string code, string message) => new(DomainErrorKind.Invalid, code, message);

    /// <summary>A 403 for a caller that may not do this.</summary>
    public static DomainException Forbidden(string code, string message) => new(DomainErrorKind.Forbidden, code, message);

    /// <summary>A 404 for something that does not exist.</summary>
    public static DomainException NotFound(string code, string message) => new(DomainErrorKind.NotFound, code, message);

    /// <summary>A 409 for an action the current state does not allow.</summary>
    public static DomainException Conflict(string code, string message) => new(DomainErrorKind.Conflict, code, message);

    /// <summary>A 401 for a caller whose credentials do not hold.</summary>
    public static DomainException Unauthorized(string code, string message) => new(DomainErrorKind.Unauthorized, code, message);

    /// <summary>A 429 with the time after which trying again can succeed.</summary>
    public static DomainException RateLimited(string code, string message, TimeSpan retryAfter) =>
        new(DomainErrorKind.RateLimited, code, message) { RetryAfter = retryAfter };
}
