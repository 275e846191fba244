using Microsoft.Extensions.DependencyInjection;
using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>
/// A sliding one-hour window of code sends for a phone (<c>phone:…</c>, which also keeps the cooldown between two codes,
/// whichever endpoint asks) or a client address (<c>address:…</c>).
/// </summary>
[GrainType("send-quota")]
public sealed class SendQuotaGrain([DurableState("send-quota")] IDurableState<SendQuotaState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<SendQuotaState>(state, time), ISendQuotaGrain
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>Retention: a quota is deleted once its last send has left the window (it would count nothing).</summary>
    protected override DateTimeOffset? RetainUntil => State.Sends.Count == 0 ? TimeProvider.GetUtcNow() : State.Sends.Max() + Window;

    public async Task ConsumeAsync(int maxPerHour, TimeSpan minInterval)
    {
        var now = TimeProvider.GetUtcNow();
        State.Sends.RemoveAll(at => at <= now - Window);
        if (minInterval > TimeSpan.Zero && State.Sends.Count > 0 && State.Sends.Max() + minInterval is var next && now < next)
        {
            throw DomainException.RateLimited("resend-too-soon", "A new code can be requested a minute after the last one.", next - now);
        }

        if (State.Sends.Count >= maxPerHour)
        {
            throw DomainException.RateLimited(
                "too-many-codes", "Too many codes were requested; try again later.", State.Sends.Min() + Window - now);
        }

        State.Sends.Add(now);
        await WriteStateAsync();
    }
}
