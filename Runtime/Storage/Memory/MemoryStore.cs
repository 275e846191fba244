using OzonActors.Runtime.Events;
using OzonActors.Runtime.Reminders;

namespace OzonActors.Runtime.Storage.Memory;

/// <summary>
/// The embedded default: state, reminders, events and grain indexes in process memory, committed together under
/// one lock. Nothing survives the process; a loud log line says so at start.
/// </summary>
internal sealed class MemoryStore(IEnumerable<IGrainWriteInterceptor> interceptors)
    : IGrainStorage, IReminderTable, IEventLog, IGrainIndex
{
    private readonly Lock _lock = new();
    private readonly IGrainWriteInterceptor[] _interceptors = interceptors.ToArray();
    private readonly Dictionary<GrainId, StoredState> _states = [];
    private readonly Dictionary<(GrainId GrainId, string Name), ReminderRow> _reminders = [];
    private readonly List<EventEnvelope> _events = [];
    private readonly HashSet<(GrainId GrainId, string Key)> _operationKeys = [];
    private long _sequence;

    /// <summary>Index rows by (index, partition), then by grain: a write replaces its row in place.</summary>
    private readonly Dictionary<(string Index, string Partition), Dictionary<GrainId, IndexRow>> _index = [];

    public Task<StoredState?> ReadAsync(GrainId grainId, CancellationToken cancellationToken)
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
            var current = _states.GetValueOrDefault(write.GrainId)?.Version ?? 0;
            if (current != write.ExpectedVersion)
            {
                throw new InconsistentStateException(write.GrainId, write.ExpectedVersion);
            }

            var claimed = write.OperationKeys.FirstOrDefault(key => _operationKeys.Contains((write.GrainId, key)));
            if (claimed is not null)
            {
                throw new DuplicateOperationException(write.GrainId, claimed);
            }

            foreach (var key in write.OperationKeys)
            {
                _operationKeys.Add((write.GrainId, key));
            }

            var version = current + 1;
            _states[write.GrainId] = new StoredState(write.StateJson, version);
            if (write.AcknowledgedReminder is { } acknowledged)
            {
                RemoveReminder(write.GrainId, acknowledged.Name, acknowledged.Id);
            }

            foreach (var change in write.Reminders)
            {
                if (change.DueAt is { } dueAt)
                {
                    _reminders[(write.GrainId, change.Name)] = new ReminderRow(dueAt, dueAt, Guid.NewGuid(), 0);
                }
                else
                {
                    _reminders.Remove((write.GrainId, change.Name));
                }
            }

            foreach (var pending in write.Events)
            {
                _events.Add(new EventEnvelope(
                    new EventPosition(0, ++_sequence), pending.Stream, pending.Type, pending.At, pending.DataJson, pending.Audiences));
            }

            foreach (var entry in write.IndexEntries)
            {
                var key = (entry.Index, entry.Partition);
                if (!_index.TryGetValue(key, out var partition))
                {
                    _index[key] = partition = [];
                }

                partition[write.GrainId] = new IndexRow(entry.Tag, entry.SortAt.ToUniversalTime(), entry.DataJson);
            }

            return version;
        }
    }

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(
        DateTimeOffset now, int max, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var due = _reminders.Where(r => r.Value.AvailableAt <= now)
                .OrderBy(r => r.Value.AvailableAt)
                .Take(max)
                .ToList();
            foreach (var (key, row) in due)
            {
                _reminders[key] = row with { AvailableAt = leaseUntil };
            }

            return Task.FromResult<IReadOnlyList<ReminderEntry>>(
                due.Select(r => new ReminderEntry(r.Key.GrainId, r.Key.Name, r.Value.DueAt, r.Value.Id, r.Value.Attempts)).ToList());
        }
    }

    public Task CompleteAsync(IReadOnlyCollection<ReminderEntry> entries, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                RemoveReminder(entry.GrainId, entry.Name, entry.Id);
            }
        }

        return Task.CompletedTask;
    }

    public Task RetryAsync(ReminderEntry entry, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = (entry.GrainId, entry.Name);
            if (_reminders.TryGetValue(key, out var row) && row.Id == entry.Id)
            {
                _reminders[key] = row with { AvailableAt = retryAt, Attempts = row.Attempts + 1 };
            }
        }

        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_reminders.Count == 0 ? null : (DateTimeOffset?)_reminders.Values.Min(r => r.AvailableAt));
        }
    }

    public Task<IReadOnlyList<ReminderEntry>> ListAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>(_reminders
                .Where(r => r.Key.GrainId == grainId)
                .Select(r => new ReminderEntry(grainId, r.Key.Name, r.Value.DueAt, r.Value.Id, r.Value.Attempts))
                .OrderBy(r => r.Name, StringComparer.Ordinal)
                .ToList());
        }
    }

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
            .ThenBy(r => r.GrainId.Key, StringComparer.Ordinal)
            .ThenBy(r => r.GrainId.Type, StringComparer.Ordinal)
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

    private void RemoveReminder(GrainId grainId, string name, Guid id)
    {
        if (_reminders.TryGetValue((grainId, name), out var row) && row.Id == id)
        {
            _reminders.Remove((grainId, name));
        }
    }

    private sealed record IndexRow(string? Tag, DateTimeOffset SortAt, string DataJson);

    private sealed record ReminderRow(DateTimeOffset DueAt, DateTimeOffset AvailableAt, Guid Id, int Attempts);
}
