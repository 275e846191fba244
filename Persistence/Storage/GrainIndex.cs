namespace OzonActors.Persistence.Storage;

/// <summary>
/// A grain's row in a named, partitioned index (e.g. <c>seller-returns</c> partitioned by seller id), written in the
/// same transaction as the grain's state: a query right after a command returns sees it. One row per
/// (index, partition, grain); a later write replaces it.
/// </summary>
/// <param name="Index">The index name, e.g. <c>seller-returns</c>.</param>
/// <param name="Partition">The partition a query names, e.g. a seller id.</param>
/// <param name="Tag">An optional exact-match filter value, e.g. a status.</param>
/// <param name="SortAt">The instant rows are ordered by, newest first, and filtered by.</param>
/// <param name="DataJson">The row's JSON, returned as is by queries.</param>
public sealed record GrainIndexEntry(string Index, string Partition, string? Tag, DateTimeOffset SortAt, string DataJson);

/// <summary>A grain's place in one partition of an index: where a write removes the grain's row.</summary>
public sealed record GrainIndexPartition(string Index, string Partition);

/// <summary>
/// A page of one index partition: rows whose <see cref="GrainIndexEntry.Tag"/> equals <see cref="Tag"/> (when given)
/// and whose sort instant is in [<see cref="From"/>, <see cref="To"/>), newest first (ties by grain key).
/// </summary>
public sealed record GrainIndexQuery(string Index, string Partition)
{
    public string? Tag { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 50;
}

/// <summary>One row of a query answer.</summary>
public sealed record GrainIndexRow(StateKey StateKey, string? Tag, DateTimeOffset SortAt, string DataJson);

/// <summary>A page of rows and the number of rows the filter matches in all.</summary>
public sealed record GrainIndexPage(IReadOnlyList<GrainIndexRow> Rows, long Total);

/// <summary>Reads grain indexes. Rows are committed with their grain's state, so reads are never behind a returned command.</summary>
public interface IGrainIndex
{
    /// <summary>A page of the rows matching <paramref name="query"/>, and how many match in all.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Skip is negative, or Take is not in [1, 10,000].</exception>
    /// <exception cref="GrainStorageException">The provider failed.</exception>
    Task<GrainIndexPage> QueryAsync(GrainIndexQuery query, CancellationToken cancellationToken);
}

/// <summary>Rules every <see cref="IGrainIndex"/> implementation applies to a query before running it.</summary>
internal static class GrainIndexQueries
{
    /// <summary>The largest page a query may ask for.</summary>
    public const int MaxTake = 10_000;

    /// <exception cref="ArgumentOutOfRangeException">Skip is negative, or Take is not in [1, <see cref="MaxTake"/>].</exception>
    public static void Validate(GrainIndexQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Skip < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Skip, "Skip must not be negative.");
        }

        if (query.Take is < 1 or > MaxTake)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Take, $"Take must be between 1 and {MaxTake}.");
        }
    }
}
