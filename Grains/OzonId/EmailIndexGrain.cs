using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>Keeps seller emails unique: keyed by the lower-cased email, it holds at most one account.</summary>
[GrainType("email-index")]
public sealed class EmailIndexGrain([DurableState("email-index")] IDurableState<UniqueOwnerState> state, TimeProvider time)
    : UniqueOwnerGrain(state, time), IEmailIndexGrain
{
    public Task ClaimAsync(Guid accountId) =>
        ClaimAsync(accountId, static () => DomainException.Conflict("email-taken", "This email already has a seller account."));
}
