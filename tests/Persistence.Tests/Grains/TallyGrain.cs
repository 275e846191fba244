using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Facet;

namespace OzonActors.Persistence.Tests.Grains;

public sealed class TallyState
{
    public long Total { get; set; }

    public int Applied { get; set; }
}

public interface ITallyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds <paramref name="amount"/> once per <paramref name="operationId"/>, with an event and an index row in the
    /// same write; false for a replay.
    /// </summary>
    Task<bool> AddAsync(string operationId, long amount);

    Task<(long Total, int Applied)> GetAsync();
}

/// <summary>Applies each operation once, by claiming its id in the same write as the state it changes.</summary>
[GrainType("test-tally")]
public sealed class TallyGrain([DurableState("test-tally")] IDurableState<TallyState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<TallyState>(state, time), ITallyGrain
{
    public const string Index = "test-tallies";

    public async Task<bool> AddAsync(string operationId, long amount)
    {
        State.Total += amount;
        State.Applied++;
        Emit($"tally:{GetPrimaryKeyString()}", "Added", new TallyAdded(operationId, amount), "test:all");
        SetIndexEntry(Index, GetPrimaryKeyString(), operationId, TimeProvider.GetUtcNow(), new TallyAdded(operationId, amount));
        ClaimOperation($"op:{operationId}");
        return await WriteStateOnceAsync();
    }

    public Task<(long Total, int Applied)> GetAsync() => Task.FromResult((State.Total, State.Applied));
}

public sealed record TallyAdded(string OperationId, long Amount);
