using Microsoft.Extensions.DependencyInjection;
using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>The index from a normalized phone number to its one Ozon ID.</summary>
[GrainType("phone")]
public sealed class PhoneGrain([DurableState("phone")] IDurableState<UniqueOwnerState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : UniqueOwnerGrain(state, time), IPhoneGrain
{
    public async Task<Guid> GetOrCreateOzonIdAsync()
    {
        if (State.Owner is null)
        {
            State.Owner = Guid.NewGuid();
            await WriteStateAsync();
        }

        // Idempotent: also repairs an identity whose creation was interrupted after the index was written.
        await GrainFactory.GetGrain<IOzonIdGrain>(State.Owner.Value).InitializeAsync(GetPrimaryKeyString());
        return State.Owner.Value;
    }

    public Task AssignAsync(Guid ozonId) =>
        ClaimAsync(ozonId, static () => DomainException.Conflict("phone-taken", "This phone already belongs to another Ozon ID."));
}
