using OzonActors.Persistence.Facet;

namespace OzonActors.Bench.Live;

/// <summary>What a live bench event carries: when the committing grain stamped it, and its number.</summary>
public sealed record BenchTick(double SentAt, long Sequence);

public sealed class BenchLiveState
{
    public long Emitted { get; set; }
}

public interface IBenchLiveGrain : IGrainWithStringKey
{
    /// <summary>Commits one event to <c>seller:{key}</c>, stamped with the wall clock just before the write.</summary>
    Task EmitAsync(long sequence);
}

/// <summary>Keyed by a company id: its events reach that company's connected sellers, like an invitation's.</summary>
[GrainType("bench-live")]
public sealed class BenchLiveGrain([DurableState("bench-live")] IDurableState<BenchLiveState> state, TimeProvider time)
    : DurableGrain<BenchLiveState>(state, time), IBenchLiveGrain
{
    public async Task EmitAsync(long sequence)
    {
        State.Emitted++;
        var sentAt = (TimeProvider.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        Emit($"bench:{GetPrimaryKeyString()}", "BenchTick", new BenchTick(sentAt, sequence), $"seller:{GetPrimaryKeyString()}");
        await WriteStateAsync();
    }
}
