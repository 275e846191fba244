using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Facet;

namespace OzonActors.Persistence.Tests.Grains;

public sealed record Numbered(string Writer, int Number);

public sealed class EventSourceState
{
    public int Written { get; set; }
}

public interface IEventSourceGrain : IGrainWithStringKey
{
    /// <summary>Emits one event numbered after the previous ones and commits it.</summary>
    Task<int> EmitNextAsync();
}

[GrainType("test-event-source")]
public sealed class EventSourceGrain([DurableState("test-event-source")] IDurableState<EventSourceState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<EventSourceState>(state, time), IEventSourceGrain
{
    public async Task<int> EmitNextAsync()
    {
        State.Written++;
        Emit($"writer:{GetPrimaryKeyString()}", "Numbered", new Numbered(GetPrimaryKeyString(), State.Written), "test:all");
        await WriteStateAsync();
        return State.Written;
    }
}
