using OzonActors.Persistence.Events;
using Orleans.Storage;

namespace OzonActors.Persistence.Storage.Memory;

/// <summary>
/// The embedded default: state (with its deadlines), events, grain indexes and operation keys in process memory, committed together under
/// one lock. Nothing survives the process; a loud log line says so at start.
/// </summary>
internal sealed class MemoryStore(IEnumerable<IGrainWriteInterceptor> interceptors)
    : IGrainStorage, IEventLog, IGrainIndex
{
    private readonly Lock _lock = new();
    private readonly IGrainWriteInterceptor[] _interceptors = interceptors.ToArray();
    private readonly Dictionary<StateKey, StoredState> _states = [];
    private readonly List<EventEnvelope> _events = [];
    private readonly Dictionary<(StateKey StateKey, string Key), DateTimeOffset> _operationKeys = [];
    private readonly Dictionary<StateKey, DateTimeOffset> _expiries = [];
    private long _sequence;

    /// <summary>Index rows by (index, partition), then by grain: a write replaces its row in place.</summary>
    private readonly Dictionary<(string Index, string Partition), Dictionary<StateKey, IndexRow>> _index = [];

    public Task<StoredState?> ReadAsync(StateKey grainId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_states.GetValueOrDefault(grainId));
        }
    }

    public async Task<long> WriteAsync(GrainWrite write, CancellationToken cancellationToken)
    {
        foreach (var interceptor in _interceptors)
        {
            // Nothing is applied yet, so a fault here commits nothing, as inside a database transaction.
            await interceptor.BeforeCommitAsync(write, cancellationToken).ConfigureAwait(false);
        }

        lock (_lock)
        {
            var current = _states.GetValueOrDefault(write.StateKey)?.Version ?? 0;
            if (current != write.ExpectedVersion)
            {
                throw StaleVersion.Of(write.StateKey, write.ExpectedVersion, current);
            }

            var claimed = write.OperationKeys.FirstOrDefault(key => _operationKeys.ContainsKey((write.StateKey, key)));
            if (claimed is not null)
            {
                throw new DuplicateOperationException(write.StateKey, claimed);
            }

            foreach (var key in write.OperationKeys)
            {
                _operationKeys.Add((write.StateKey, key), write.At);
            }

            if (write.ExpiresAt is { } expiresAt)
            {
                _expiries[write.StateKey] = expiresAt;
            }
            else
            {
                _expiries.Remove(write.StateKey);
            }

            var version = current + 1;
            _states[write.StateKey] = new StoredState(write.StateJson, version, write.DeadlinesJson);
            foreach (var pending in write.Events)
            {
                _events.Add(new EventEnvelope(
                    new EventPosition(0, ++_sequence), pending.Stream, pending.Type, pending.At, pending.DataJson, pending.Audiences, pending.TraceParent));
            }

            foreach (var entry in write.IndexEntries)
            {
                var key = (entry.Index, entry.Partition);
                if (!_index.TryGetValue(key, out var partition))
                {
                    _index[key] = partition = [];
                }

                partition[write.StateKey] = new IndexRow(entry.Tag, entry.SortAt.ToUniversalTime(), entry.DataJson);
            }

            foreach (var removal in write.IndexRemovals)
            {
                if (_index.TryGetValue((removal.Index, removal.Partition), out var partition))
                {
                    partition.Remove(write.StateKey);
                }
            }

            return version;
        }
    }

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<EventBatch> ReadAsync(EventPosition after, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var start = IndexAfter(after);
            var count = Math.Min(max, _events.Count - start);
            return Task.FromResult(new EventBatch(_events.GetRange(start, count), Pending: false));
        }
    }

    public Task<EventPosition> GetHeadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_events.Count == 0 ? EventPosition.Start : _events[^1].Position);
        }
    }

    public Task<EventBatch> ReadForAudiencesAsync(
        EventPosition after, EventPosition upTo, IReadOnlyCollection<string> audiences, int max, CancellationToken cancellationToken)
    {
        var wanted = audiences.ToHashSet(StringComparer.Ordinal);
        var events = new List<EventEnvelope>();
        lock (_lock)
        {
            for (var i = IndexAfter(after); i < _events.Count && events.Count < max && _events[i].Position <= upTo; i++)
            {
                if (_events[i].Audiences.Any(wanted.Contains))
                {
                    events.Add(_events[i]);
                }
            }
        }

        return Task.FromResult(new EventBatch(events, Pending: false));
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, DateTimeOffset keysClaimedBefore, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var gone = _expiries.Where(e => e.Value < now).Select(e => e.Key).ToHashSet();
            var keys = _operationKeys.Where(k => gone.Contains(k.Key.StateKey) || k.Value < keysClaimedBefore).Select(k => k.Key).ToList();
            var rows = 0;
            foreach (var partition in _index.Values)
            {
                rows += partition.Keys.Where(gone.Contains).ToList().Count(partition.Remove);
            }

            foreach (var stateKey in gone)
            {
                _states.Remove(stateKey);
                _expiries.Remove(stateKey);
            }

            keys.ForEach(key => _operationKeys.Remove(key));
            return Task.FromResult(gone.Count + keys.Count + rows);
        }
    }

    public Task<int> TrimAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var count = _events.FindIndex(e => e.At >= cutoff);
            count = count < 0 ? _events.Count : count;
            _events.RemoveRange(0, count);
            return Task.FromResult(count);
        }
    }

    public Task<GrainIndexPage> QueryAsync(GrainIndexQuery query, CancellationToken cancellationToken)
    {
        GrainIndexQueries.Validate(query);
        List<GrainIndexRow> matching;
        lock (_lock)
        {
            if (!_index.TryGetValue((query.Index, query.Partition), out var partition))
            {
                return Task.FromResult(new GrainIndexPage([], 0));
            }

            matching = partition
                .Where(r => (query.Tag is null || r.Value.Tag == query.Tag)
                    && (query.From is not { } from || r.Value.SortAt >= from)
                    && (query.To is not { } to || r.Value.SortAt < to))
                .Select(r => new GrainIndexRow(r.Key, r.Value.Tag, r.Value.SortAt, r.Value.DataJson))
                .ToList();
        }

        // Newest first, ties by grain key (then type), ordinal: the order PostgreSQL gives with its "C" collation.
        var page = matching
            .OrderByDescending(r => r.SortAt)
            .ThenBy(r => r.StateKey.Key, StringComparer.Ordinal)
            .ThenBy(r => r.StateKey.Type, StringComparer.Ordinal)
            .Skip(query.Skip)
            .Take(query.Take)
            .ToList();
        return Task.FromResult(new GrainIndexPage(page, matching.Count));
    }

    /// <summary>The index of the first event after <paramref name="after"/> (positions only grow, so the list is sorted).</summary>
    private int IndexAfter(EventPosition after)
    {
        var index = _events.BinarySearch(
            new EventEnvelope(after, "", "", default, "", []), Comparer<EventEnvelope>.Create((a, b) => a.Position.CompareTo(b.Position)));
        return index >= 0 ? index + 1 : ~index;
    }

    private sealed record IndexRow(string? Tag, DateTimeOffset SortAt, string DataJson);
}
