using Orleans.Storage;

namespace OzonActors.Persistence.Storage;

/// <summary>The one way a store reports a stale write: Orleans' own <see cref="InconsistentStateException"/>.</summary>
internal static class StaleVersion
{
    public static InconsistentStateException Of(StateKey key, long expected, long? stored) =>
        new($"Grain state {key} was written by someone else: this activation holds version {expected}.",
            storedEtag: stored?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown",
            currentEtag: expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
