using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Facet;

namespace OzonActors.Persistence.Tests.Grains;

public sealed record ReplayData(int Number);

public sealed class ReplayState
{
    public int Emitted { get; set; }
}

public interface IReplayGrain : IGrainWithStringKey
{
    /// <summary>Commits one event numbered <paramref name="number"/> to <paramref name="audiences"/>.</summary>
    Task EmitAsync(int number, string[] audiences);
}

[GrainType("test-replay")]
public sealed class ReplayGrain([DurableState("test-replay")] IDurableState<ReplayState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<ReplayState>(state, time), IReplayGrain
{
    public async Task EmitAsync(int number, string[] audiences)
    {
        State.Emitted++;
        Emit($"replay:{GetPrimaryKeyString()}", "Replayed", new ReplayData(number), audiences);
        await WriteStateAsync();
    }
}
