using OzonActors.OzonId;

namespace OzonActors.Grains.OzonId;

/// <summary>A seller company: its name, members with roles, and the invitations it sent.</summary>
public sealed class CompanyState
{
    public string Name { get; set; } = "";

    public List<CompanyMember> Members { get; set; } = [];

    public List<SentInvitation> Invitations { get; set; } = [];
}

/// <summary>An invitation as its company remembers it (the token is only in the invitee's hands).</summary>
public sealed record SentInvitation(Guid InvitationId, string Email, CompanyRole Role, DateTimeOffset ExpiresAt, bool Accepted);
