using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Facet;

namespace OzonActors.Persistence.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task<int> GetAsync();

    /// <summary>
    /// Adds <paramref name="amount"/> to the state and queues an event, an index row and an operation key, then throws
    /// before writing: a failed turn whose changes must never reach storage.
    /// </summary>
    Task AddThenThrowAsync(int amount, string operationId);

    /// <summary>Writes the state as this activation holds it, after counting a touch: the write a leaked change would ride on.</summary>
    Task TouchAsync();

    /// <summary>Adds <paramref name="amount"/> once per <paramref name="operationId"/> (the key a failed turn queued).</summary>
    Task<bool> AddOnceAsync(int amount, string operationId);
}

public sealed class CounterState
{
    public int Value { get; set; }

    public int Touches { get; set; }
}

/// <summary>Counts, and records whether two of its turns ever overlapped.</summary>
[GrainType("test-counter")]
public sealed class CounterGrain([DurableState("test-counter")] IDurableState<CounterState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<CounterState>(state, time), ICounterGrain
{
    public const string Index = "test-counters";

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

    public Task AddThenThrowAsync(int amount, string operationId)
    {
        State.Value += amount;
        Emit($"counter:{GetPrimaryKeyString()}", "Added", new CounterAdded(amount), "test:all");
        SetIndexEntry(Index, GetPrimaryKeyString(), "leaked", TimeProvider.GetUtcNow(), new CounterAdded(amount));
        ClaimOperation(operationId);
        throw new InvalidOperationException("The rule broke after the state changed.");
    }

    public async Task TouchAsync()
    {
        State.Touches++;
        await WriteStateAsync();
    }

    public async Task<bool> AddOnceAsync(int amount, string operationId)
    {
        State.Value += amount;
        ClaimOperation(operationId);
        return await WriteStateOnceAsync();
    }
}

public sealed record CounterAdded(int Amount);
