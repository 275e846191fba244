using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>A seller company. Directors and administrators invite and delete; employees cannot.</summary>
[GrainType("company")]
public sealed class CompanyGrain([DurableState("company")] IDurableState<CompanyState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time, IOptions<OzonIdOptions> options)
    : DurableGrain<CompanyState>(state, time), ICompanyGrain
{
    private string Stream => $"company:{GetPrimaryKey()}";

    private string Sellers => LiveAudiences.Seller(GetPrimaryKey());

    public async Task CreateAsync(string name, Guid directorAccountId, string directorEmail)
    {
        if (State.Name.Length > 0)
        {
            if (State.Members.Any(m => m.AccountId == directorAccountId && m.Role == CompanyRole.Director))
            {
                return; // a retried sign-up: the company was written before
            }

            throw DomainException.Conflict("company-exists", "This company already exists.");
        }

        State.Name = name;
        State.Members.Add(new CompanyMember(directorAccountId, directorEmail, CompanyRole.Director));
        await WriteStateAsync();
    }

    public Task<CompanyInfo> GetAsync()
    {
        RequireCreated();
        return Task.FromResult(new CompanyInfo(GetPrimaryKey(), State.Name, State.Members.ToList()));
    }

    public async Task<InvitationCreated> InviteAsync(Guid byAccountId, string email, CompanyRole role)
    {
        var by = RequireManager(byAccountId);
        if (role == CompanyRole.Director && by.Role != CompanyRole.Director)
        {
            throw DomainException.Forbidden("role-forbidden", "Only a director can invite a director.");
        }

        if (State.Members.Any(m => m.Email == email))
        {
            throw DomainException.Conflict("already-member", "This email already has an account in the company.");
        }

        var invitation = new InvitationCreated(Guid.NewGuid(), Secrets.NewToken(), TimeProvider.GetUtcNow() + options.Value.InvitationLifetime);
        await GrainFactory.GetGrain<IInvitationGrain>(SecretKeys.TokenKey(invitation.Token))
            .CreateAsync(invitation.InvitationId, GetPrimaryKey(), email, role, invitation.ExpiresAt);
        State.Invitations.Add(new SentInvitation(invitation.InvitationId, email, role, invitation.ExpiresAt, Accepted: false));
        Emit(Stream, LiveEventTypes.InvitationCreated, new { invitationId = invitation.InvitationId, email, role, invitation.ExpiresAt }, Sellers);
        await WriteStateAsync();
        return invitation;
    }

    public async Task AddMemberAsync(Guid invitationId, CompanyMember member)
    {
        RequireCreated();
        var index = State.Invitations.FindIndex(i => i.InvitationId == invitationId);
        if (index < 0)
        {
            throw DomainException.NotFound("invitation-not-found", "No such invitation.");
        }

        if (State.Invitations[index].Accepted && State.Members.Contains(member))
        {
            return; // a retried acceptance
        }

        State.Invitations[index] = State.Invitations[index] with { Accepted = true };
        State.Members.RemoveAll(m => m.AccountId == member.AccountId);
        State.Members.Add(member);
        Emit(Stream, LiveEventTypes.MemberJoined, new { member.AccountId, member.Email, member.Role }, Sellers);
        await WriteStateAsync();
    }

    public Task<CompanyMember?> FindMemberAsync(Guid accountId) =>
        Task.FromResult(State.Members.FirstOrDefault(m => m.AccountId == accountId));

    public async Task RemoveMemberAsync(Guid byAccountId, Guid accountId)
    {
        var by = RequireManager(byAccountId);
        var target = State.Members.FirstOrDefault(m => m.AccountId == accountId)
            ?? throw DomainException.NotFound("account-not-found", "No such account in this company.");
        if (target.Role == CompanyRole.Director && by.Role != CompanyRole.Director)
        {
            throw DomainException.Forbidden("role-forbidden", "Only a director can delete a director.");
        }

        if (target.Role == CompanyRole.Director && State.Members.Count(m => m.Role == CompanyRole.Director) == 1)
        {
            throw DomainException.Conflict("last-director", "The company's only director cannot be deleted; appoint another first.");
        }

        // The account is disabled before the member leaves the list: if a step fails, the member is still listed, the
        // delete can be repeated, and every step below is idempotent.
        var account = GrainFactory.GetGrain<ISellerAccountGrain>(accountId);
        var info = await account.GetAsync();
        await account.DeleteAsync();
        await GrainFactory.GetGrain<IEmailIndexGrain>(info.Email).ReleaseAsync(accountId);
        if (info.OzonId is { } ozonId)
        {
            await GrainFactory.GetGrain<IOzonIdGrain>(ozonId).UnlinkAccountAsync(accountId);
        }

        State.Members.Remove(target);
        Emit(Stream, LiveEventTypes.AccountDeleted, new { target.AccountId, target.Email }, Sellers);
        await WriteStateAsync();
    }

    private CompanyMember RequireManager(Guid accountId)
    {
        RequireCreated();
        var member = State.Members.FirstOrDefault(m => m.AccountId == accountId)
            ?? throw DomainException.Forbidden("not-a-member", "This account is not a member of the company.");
        return member.Role is CompanyRole.Director or CompanyRole.Administrator
            ? member
            : throw DomainException.Forbidden("role-forbidden", "Only a director or an administrator can do this.");
    }

    private void RequireCreated()
    {
        if (State.Name.Length == 0)
        {
            throw DomainException.NotFound("company-not-found", "No such company.");
        }
    }
}
