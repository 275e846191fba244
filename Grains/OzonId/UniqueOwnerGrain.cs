using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>
/// An index keyed by a unique value that holds at most one owner. Claims are serialized by the grain's single-threaded
/// turns, so two owners can never both claim the same value.
/// </summary>
public abstract class UniqueOwnerGrain(IDurableState<UniqueOwnerState> state, TimeProvider time) : DurableGrain<UniqueOwnerState>(state, time)
{
    /// <summary>Retention: a value nobody holds is deleted a day after it was freed.</summary>
    protected override DateTimeOffset? RetainUntil => State.Owner is null ? TimeProvider.GetUtcNow() + TimeSpan.FromDays(1) : null;

    public Task<Guid?> FindAsync() => Task.FromResult(State.Owner);

    public async Task ReleaseAsync(Guid owner)
    {
        if (State.Owner == owner)
        {
            State.Owner = null;
            State.Pending = null;
            await WriteStateAsync();
        }
    }

    /// <summary>Makes <paramref name="owner"/> the owner; idempotent for the same owner, <paramref name="taken"/> for another.</summary>
    protected async Task ClaimAsync(Guid owner, Func<DomainException> taken)
    {
        if (State.Owner == owner)
        {
            return;
        }

        if (State.Owner is not null)
        {
            throw taken();
        }

        State.Owner = owner;
        await WriteStateAsync();
    }
}
