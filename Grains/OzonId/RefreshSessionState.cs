using OzonActors.OzonId;

namespace OzonActors.Grains.OzonId;

/// <summary>A refresh-token family: the hash of the current secret, how many were rotated away, and whether it was revoked.</summary>
public sealed class RefreshSessionState
{
    public SessionScope? Scope { get; set; }

    public string Salt { get; set; } = "";

    public string CurrentHash { get; set; } = "";

    /// <summary>Hashes of secrets already rotated away: presenting one again is reuse.</summary>
    public List<string> UsedHashes { get; set; } = [];

    public DateTimeOffset ExpiresAt { get; set; }

    public bool Revoked { get; set; }
}
