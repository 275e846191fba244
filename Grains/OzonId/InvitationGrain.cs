using Microsoft.Extensions.DependencyInjection;
using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>An invitation to join a company with a role; accepting it creates an account linked to the caller's Ozon ID.</summary>
[GrainType("invitation")]
public sealed class InvitationGrain([DurableState("invitation")] IDurableState<InvitationState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<InvitationState>(state, time), IInvitationGrain
{
    public async Task CreateAsync(Guid invitationId, Guid companyId, string email, CompanyRole role, DateTimeOffset expiresAt)
    {
        if (State.InvitationId != Guid.Empty)
        {
            throw DomainException.Conflict("invitation-exists", "This invitation already exists.");
        }

        State.InvitationId = invitationId;
        State.CompanyId = companyId;
        State.Email = email;
        State.Role = role;
        State.ExpiresAt = expiresAt;
        await WriteStateAsync();
    }

    public async Task<LinkedAccount> AcceptAsync(Guid ozonId, string password)
    {
        if (State.InvitationId == Guid.Empty)
        {
            throw DomainException.NotFound("invitation-not-found", "No such invitation.");
        }

        if (State.AcceptedAccountId is not null)
        {
            throw DomainException.Conflict("invitation-used", "This invitation was already accepted.");
        }

        if (TimeProvider.GetUtcNow() >= State.ExpiresAt)
        {
            throw DomainException.Conflict("invitation-expired", "This invitation has expired; ask for a new one.");
        }

        // Like a sign-up: reserve the email, idempotent steps, confirm last; the email index repairs an interrupted
        // acceptance within a minute, and the same person retrying continues it.
        var emailIndex = GrainFactory.GetGrain<IEmailIndexGrain>(State.Email);
        var proposed = new EmailReservation(Guid.NewGuid(), State.CompanyId);
        var (accountId, companyId) = await emailIndex.ReserveAsync(proposed, ozonId);
        try
        {
            if (companyId != State.CompanyId)
            {
                throw DomainException.Conflict("email-taken", "This email already has a seller account.");
            }

            // A person who already holds another account of this company cannot take a second one (RULES §4).
            (await GrainFactory.GetGrain<IOzonIdGrain>(ozonId).GetAsync()).EnsureNoOtherAccountIn(State.CompanyId, accountId);
        }
        catch (DomainException) when (accountId == proposed.AccountId)
        {
            await emailIndex.ReleaseAsync(accountId);
            throw;
        }

        await GrainFactory.GetGrain<ISellerAccountGrain>(accountId).CreateAsync(State.CompanyId, State.Email, password, State.Role, ozonId);
        var company = GrainFactory.GetGrain<ICompanyGrain>(State.CompanyId);
        await company.AddMemberAsync(State.InvitationId, new CompanyMember(accountId, State.Email, State.Role));
        var linked = new LinkedAccount(accountId, State.CompanyId, (await company.GetAsync()).Name, State.Role);
        await GrainFactory.GetGrain<IOzonIdGrain>(ozonId).LinkAccountAsync(linked);
        State.AcceptedAccountId = accountId;
        await WriteStateAsync();
        await emailIndex.ConfirmAsync(accountId);
        return linked;
    }
}
