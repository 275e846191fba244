using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Facet;

namespace OzonActors.Persistence.Tests.Grains;

public sealed class NoteState
{
    public string Note { get; set; } = "";
}

public interface IGuidGrain : IGrainWithGuidKey
{
    Task SaveAsync(string note);

    Task<string> GetNoteAsync();
}

/// <summary>A Guid-keyed grain: its state row's key is the Guid in its "D" form.</summary>
[GrainType("test-guid")]
public sealed class GuidGrain([DurableState("test-guid")] IDurableState<NoteState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<NoteState>(state, time), IGuidGrain
{
    public async Task SaveAsync(string note)
    {
        State.Note = note;
        await WriteStateAsync();
    }

    public Task<string> GetNoteAsync() => Task.FromResult(State.Note);
}
