using OzonActors.OzonId;
using OzonActors.Runtime;

namespace OzonActors.Grains.OzonId;

/// <summary>The index from a normalized phone number to its one Ozon ID.</summary>
[GrainType("phone")]
public sealed class PhoneGrain : Grain<PhoneState>, IPhoneGrain
{
    public async Task<Guid> GetOrCreateOzonIdAsync()
    {
        if (State.OzonId is null)
        {
            State.OzonId = Guid.NewGuid();
            await WriteStateAsync();
        }

        // Idempotent: also repairs an identity whose creation was interrupted after the index was written.
        await GrainFactory.GetGrain<IOzonIdGrain>(State.OzonId.Value).InitializeAsync(GetPrimaryKeyString());
        return State.OzonId.Value;
    }

    public Task<Guid?> FindAsync() => Task.FromResult(State.OzonId);

    public async Task AssignAsync(Guid ozonId)
    {
        if (State.OzonId == ozonId)
        {
            return;
        }

        if (State.OzonId is not null)
        {
            throw DomainException.Conflict("phone-taken", "This phone already belongs to another Ozon ID.");
        }

        State.OzonId = ozonId;
        await WriteStateAsync();
    }

    public async Task ReleaseAsync(Guid ozonId)
    {
        if (State.OzonId == ozonId)
        {
            State.OzonId = null;
            await WriteStateAsync();
        }
    }
}
