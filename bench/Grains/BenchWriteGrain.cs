using OzonActors.Persistence;

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

[GrainType("bench-write")]
public sealed class BenchWriteGrain : Grain<BenchWriteState>, IBenchWriteGrain
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
