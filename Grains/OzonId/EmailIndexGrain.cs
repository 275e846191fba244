using OzonActors.OzonId;
using OzonActors.Runtime;

namespace OzonActors.Grains.OzonId;

/// <summary>Keeps seller emails unique: keyed by the lower-cased email, it holds at most one account.</summary>
[GrainType("email-index")]
public sealed class EmailIndexGrain : Grain<EmailIndexState>, IEmailIndexGrain
{
    public async Task ClaimAsync(Guid accountId)
    {
        if (State.AccountId == accountId)
        {
            return;
        }

        if (State.AccountId is not null)
        {
            throw DomainException.Conflict("email-taken", "This email already has a seller account.");
        }

        State.AccountId = accountId;
        await WriteStateAsync();
    }

    public Task<Guid?> FindAsync() => Task.FromResult(State.AccountId);

    public async Task ReleaseAsync(Guid accountId)
    {
        if (State.AccountId == accountId)
        {
            State.AccountId = null;
            await WriteStateAsync();
        }
    }
}
