using System.Collections.Concurrent;

namespace OzonActors.Persistence.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task<int> GetAsync();
}

public sealed class CounterState
{
    public int Value { get; set; }
}

/// <summary>Counts, and records whether two of its turns ever overlapped.</summary>
[GrainType("test-counter")]
public sealed class CounterGrain : Grain<CounterState>, ICounterGrain
{
    public static ConcurrentDictionary<string, int> MaxConcurrentTurns { get; } = new();

    private int _inTurn;

    public async Task<int> IncrementAsync()
    {
        var concurrent = Interlocked.Increment(ref _inTurn);
        MaxConcurrentTurns.AddOrUpdate(GetPrimaryKeyString(), concurrent, (_, seen) => Math.Max(seen, concurrent));
        try
        {
            var before = State.Value;
            await Task.Yield();
            State.Value = before + 1;
            await WriteStateAsync();
            return State.Value;
        }
        finally
        {
            Interlocked.Decrement(ref _inTurn);
        }
    }

    public Task<int> GetAsync() => Task.FromResult(State.Value);
}
