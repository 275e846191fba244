using Microsoft.Extensions.DependencyInjection;
using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>Keeps seller emails unique: keyed by the lower-cased email, it holds at most one account.</summary>
[GrainType("email-index")]
public sealed class EmailIndexGrain([DurableState("email-index")] IDurableState<UniqueOwnerState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : UniqueOwnerGrain(state, time), IEmailIndexGrain
{
    public Task ClaimAsync(Guid accountId) =>
        ClaimAsync(accountId, static () => DomainException.Conflict("email-taken", "This email already has a seller account."));

    public async Task<SellerAccountInfo> VerifyPasswordAsync(string password)
    {
        if (State.Owner is not { } accountId)
        {
            SellerAccountGrain.CheckDecoy(password);
            throw DomainException.Unauthorized("invalid-credentials", "Wrong email or password.");
        }

        return await GrainFactory.GetGrain<ISellerAccountGrain>(accountId).VerifyPasswordAsync(password);
    }
}
