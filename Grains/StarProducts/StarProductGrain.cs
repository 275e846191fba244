using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence;
using OzonActors.StarProducts;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.StarProducts;

/// <summary>A product as stored: its seller, its moderation, and which of its changes the seller has been told.</summary>
public sealed class StarProductState
{
    public Guid? SellerId { get; set; }

    public bool Moderated { get; set; }

    /// <summary>Numbers the flips of <see cref="Moderated"/> (a product starts unmoderated).</summary>
    public long Changes { get; set; }

    /// <summary>The flips the seller's count is known to include.</summary>
    public long NotifiedThrough { get; set; }
}

/// <summary>
/// A product's seller and moderation. Each flip is passed to the seller's count by a reminder set in the same write,
/// and the seller applies each flip number once, so the count is right however a step fails or repeats.
/// </summary>
[GrainType("star-product")]
public sealed class StarProductGrain([DurableState("star-product")] IDurableState<StarProductState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<StarProductState>(state, time), IStarProductGrain
{
    private const string NotifyReminder = "notify-seller";

    public async Task SetAsync(Guid sellerId, bool moderated)
    {
        if (State.SellerId is { } seller && seller != sellerId)
        {
            throw DomainException.Conflict("product-seller-conflict", $"Product '{GetPrimaryKeyString()}' belongs to another seller.");
        }

        var isNew = State.SellerId is null;
        if (!isNew && State.Moderated == moderated)
        {
            return;
        }

        State.SellerId = sellerId;
        if (State.Moderated != moderated)
        {
            State.Moderated = moderated;
            State.Changes++;
            SetReminder(NotifyReminder, TimeProvider.GetUtcNow());
        }

        await WriteStateAsync();
        await NotifySellerAsync();
    }

    public Task<Guid?> GetSellerAsync() => Task.FromResult(State.SellerId);

    protected override Task ReceiveReminderAsync(string name, DateTimeOffset dueAt) => NotifySellerAsync();

    /// <summary>Sends every flip not yet confirmed, in order: flip k left the product moderated when (Changes − k) is even and it is moderated now.</summary>
    private async Task NotifySellerAsync()
    {
        if (State.SellerId is not { } sellerId || State.NotifiedThrough >= State.Changes)
        {
            return;
        }

        var seller = GrainFactory.GetGrain<ISellerLoyaltyGrain>(sellerId);
        for (var change = State.NotifiedThrough + 1; change <= State.Changes; change++)
        {
            var moderatedAfter = (State.Changes - change) % 2 == 0 ? State.Moderated : !State.Moderated;
            await seller.AdjustModeratedProductsAsync(GetPrimaryKeyString(), change, moderatedAfter ? 1 : -1);
        }

        State.NotifiedThrough = State.Changes;
        ClearReminder(NotifyReminder);
        await WriteStateAsync();
    }
}
