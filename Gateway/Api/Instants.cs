namespace OzonActors.Gateway.Api;

/// <summary>Checks of instants the marketplace's feeds send.</summary>
public static class Instants
{
    /// <summary>The clock skew a feed may have.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    /// <summary>400 for an event stamped later than now (plus the allowed skew).</summary>
    public static void EnsureNotFuture(DateTimeOffset at, TimeProvider time, string field = "at")
    {
        ArgumentNullException.ThrowIfNull(time);
        if (at > time.GetUtcNow() + AllowedSkew)
        {
            throw DomainException.Invalid("instant-in-future", $"'{field}' is in the future.");
        }
    }
}
