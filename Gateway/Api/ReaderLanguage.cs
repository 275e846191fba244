namespace OzonActors.Gateway.Api;

/// <summary>
/// The language a person reads what the gateway writes for them (a report), as the pages speak it: Russian unless
/// English is asked for. The API's JSON (enum values, ProblemDetails types) never depends on it.
/// </summary>
public static class ReaderLanguage
{
    public const string Russian = "ru";
    public const string English = "en";

    /// <summary>
    /// <c>?lang=ru|en</c>, else the first language of Accept-Language (by quality, then order) that is Russian or
    /// English, else Russian; a request that names no language at all (no <c>lang</c>, and no Accept-Language or one
    /// naming no language, like the <c>*</c> that Node's fetch sends: a program, not a browser) gets
    /// <paramref name="unstated"/>.
    /// </summary>
    /// <exception cref="DomainException"><c>lang</c> is neither <c>ru</c> nor <c>en</c> (400 <c>invalid-query</c>).</exception>
    public static string Of(HttpRequest request, string unstated = Russian)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query.TryGetValue("lang", out var asked))
        {
            return asked.ToString().ToLowerInvariant() switch
            {
                Russian => Russian,
                English => English,
                _ => throw DomainException.Invalid("invalid-query", "'lang' must be ru or en."),
            };
        }

        var named = request.GetTypedHeaders().AcceptLanguage
            .Where(language => language.Value.HasValue && language.Value.Value is not ("" or "*"))
            .ToList();
        if (named.Count == 0)
        {
            return unstated;
        }

        var accepted = named
            .Where(language => language.Quality is not <= 0)
            .OrderByDescending(language => language.Quality ?? 1);
        foreach (var language in accepted)
        {
            var primary = language.Value.Value?.Split('-')[0].ToLowerInvariant();
            if (primary is Russian or English)
            {
                return primary;
            }
        }

        return Russian;
    }
}
