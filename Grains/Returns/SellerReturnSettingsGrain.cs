using Microsoft.Extensions.DependencyInjection;
using OzonActors.Returns;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.Returns;

/// <summary>A seller's return settings as stored.</summary>
public sealed class SellerReturnSettingsState
{
    public bool PreModerated { get; set; }

    public DateTimeOffset? ChangedAt { get; set; }

    public Guid? ChangedBy { get; set; }
}

/// <summary>Whether moderators decide a seller's new return requests (pre-moderation).</summary>
[GrainType("seller-return-settings")]
public sealed class SellerReturnSettingsGrain([DurableState("seller-return-settings")] IDurableState<SellerReturnSettingsState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<SellerReturnSettingsState>(state, time), ISellerReturnSettingsGrain
{
    public Task<SellerReturnSettings> GetAsync() => Task.FromResult(View());

    public async Task<SellerReturnSettings> SetPreModeratedAsync(bool preModerated, Guid moderatorId)
    {
        State.PreModerated = preModerated;
        State.ChangedAt = TimeProvider.GetUtcNow();
        State.ChangedBy = moderatorId;
        await WriteStateAsync();
        return View();
    }

    private SellerReturnSettings View() => new(GetPrimaryKey(), State.PreModerated, State.ChangedAt, State.ChangedBy);
}
