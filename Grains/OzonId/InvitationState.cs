using OzonActors.OzonId;

namespace OzonActors.Grains.OzonId;

/// <summary>An invitation, stored under the hash of its token.</summary>
public sealed class InvitationState
{
    public Guid InvitationId { get; set; }

    public Guid CompanyId { get; set; }

    public string Email { get; set; } = "";

    public CompanyRole Role { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public Guid? AcceptedAccountId { get; set; }
}
