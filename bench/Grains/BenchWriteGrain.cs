using OzonActors.Persistence.Facet;
using Orleans.Runtime;

namespace OzonActors.Bench.Grains;

/// <summary>A counter with a text payload; the raw upsert baseline writes the same JSON.</summary>
public sealed class BenchWriteState
{
    public long Value { get; set; }

    public string Payload { get; set; } = "";
}

public interface IBenchWriteGrain : IGrainWithStringKey
{
    /// <summary>Increments the counter and persists the state; the payload is (re)built to <paramref name="payloadChars"/> characters.</summary>
    Task<long> IncrementAsync(int payloadChars);
}

/// <summary>The same counter on Orleans' own persistence: <c>[PersistentState]</c> on the ADO.NET provider.</summary>
public interface IBenchAdoNetWriteGrain : IGrainWithStringKey
{
    /// <inheritdoc cref="IBenchWriteGrain.IncrementAsync"/>
    Task<long> IncrementAsync(int payloadChars);
}

/// <summary>Our facet: <c>[DurableState]</c> in <c>grain_state</c>, one version-checked batch per write.</summary>
[GrainType("bench-write")]
public sealed class BenchWriteGrain([DurableState("bench-write")] IDurableState<BenchWriteState> state, TimeProvider time)
    : DurableGrain<BenchWriteState>(state, time), IBenchWriteGrain
{
    public async Task<long> IncrementAsync(int payloadChars)
    {
        if (State.Payload.Length != payloadChars)
        {
            State.Payload = new string('x', payloadChars);
        }

        State.Value++;
        await WriteStateAsync();
        return State.Value;
    }
}

/// <summary>Orleans' own: <c>[PersistentState]</c> on <c>Microsoft.Orleans.Persistence.AdoNet</c> (see <c>BenchAdoNetStorage</c>).</summary>
[GrainType("bench-adonet-write")]
public sealed class BenchAdoNetWriteGrain(
    [PersistentState(BenchAdoNetStorage.StateName, BenchAdoNetStorage.ProviderName)] IPersistentState<BenchWriteState> state)
    : Grain, IBenchAdoNetWriteGrain
{
    public async Task<long> IncrementAsync(int payloadChars)
    {
        if (state.State.Payload.Length != payloadChars)
        {
            state.State.Payload = new string('x', payloadChars);
        }

        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }
}
