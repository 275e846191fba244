using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Facet;

namespace OzonActors.Persistence.Tests.Grains;

/// <summary>The JSON an <see cref="IndexedGrain"/> puts in its index row.</summary>
public sealed record IndexedRowData(string Title, int Writes);

public sealed class IndexedState
{
    public string Title { get; set; } = "";

    public int Writes { get; set; }
}

public interface IIndexedGrain : IGrainWithStringKey
{
    /// <summary>Writes its state and, in the same write, its row in <paramref name="index"/>, <paramref name="partition"/>.</summary>
    Task UpdateAsync(string index, string partition, string? tag, DateTimeOffset sortAt, string title);

    /// <summary>
    /// Writes its state and, in the same write, its row in <paramref name="index"/>, <paramref name="partition"/> and the
    /// removal of its row in <paramref name="leftPartition"/>: the grain moves from one partition to the other.
    /// </summary>
    Task MoveAsync(string index, string partition, string leftPartition, DateTimeOffset sortAt, string title);

    Task<int> GetWritesAsync();
}

/// <summary>Sets an index entry on every command, committed with its state.</summary>
[GrainType("test-indexed")]
public sealed class IndexedGrain([DurableState("test-indexed")] IDurableState<IndexedState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<IndexedState>(state, time), IIndexedGrain
{
    public async Task UpdateAsync(string index, string partition, string? tag, DateTimeOffset sortAt, string title)
    {
        State.Title = title;
        State.Writes++;
        SetIndexEntry(index, partition, tag, sortAt, new IndexedRowData(title, State.Writes));
        await WriteStateAsync();
    }

    public async Task MoveAsync(string index, string partition, string leftPartition, DateTimeOffset sortAt, string title)
    {
        State.Title = title;
        State.Writes++;
        // Queued in both orders: a removal cancels a row queued in the same partition, and a later row the removal.
        SetIndexEntry(index, leftPartition, null, sortAt, new IndexedRowData(title, State.Writes));
        RemoveIndexEntry(index, leftPartition);
        RemoveIndexEntry(index, partition);
        SetIndexEntry(index, partition, null, sortAt, new IndexedRowData(title, State.Writes));
        await WriteStateAsync();
    }

    public Task<int> GetWritesAsync() => Task.FromResult(State.Writes);
}
