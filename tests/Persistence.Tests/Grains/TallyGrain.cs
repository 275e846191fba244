namespace OzonActors.Persistence.Tests.Grains;

public sealed class TallyState
{
    public long Total { get; set; }

    public int Applied { get; set; }
}

public interface ITallyGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="amount"/> once per <paramref name="operationId"/>; false for a replay.</summary>
    Task<bool> AddAsync(string operationId, long amount);

    Task<(long Total, int Applied)> GetAsync();
}

/// <summary>Applies each operation once, by claiming its id in the same write as the state it changes.</summary>
[GrainType("test-tally")]
public sealed class TallyGrain : Grain<TallyState>, ITallyGrain
{
    public async Task<bool> AddAsync(string operationId, long amount)
    {
        State.Total += amount;
        State.Applied++;
        ClaimOperation($"op:{operationId}");
        return await WriteStateOnceAsync();
    }

    public Task<(long Total, int Applied)> GetAsync() => Task.FromResult((State.Total, State.Applied));
}
