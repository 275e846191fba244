using OzonActors.OzonId;

namespace OzonActors.Grains.OzonId;

/// <summary>One code request. The code itself is never stored: only its salted hash.</summary>
public sealed class LoginChallengeState
{
    public bool Started { get; set; }

    public string Phone { get; set; } = "";

    public ChallengePurpose Purpose { get; set; }

    public Guid? OzonId { get; set; }

    public CodeChannel Channel { get; set; }

    public string Salt { get; set; } = "";

    public string CodeHash { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset ResendAfter { get; set; }

    public int WrongAttempts { get; set; }

    public bool Used { get; set; }
}
