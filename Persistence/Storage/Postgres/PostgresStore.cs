using Npgsql;
using NpgsqlTypes;
using OzonActors.Persistence.Events;

namespace OzonActors.Persistence.Storage.Postgres;

/// <summary>
/// State (with its deadlines), events, grain indexes and operation keys in PostgreSQL. A grain write is one transaction
/// sent as one batch: the state row (guarded by its version), operation keys, events and index rows.
/// Npgsql errors are translated here, at the storage boundary.
/// </summary>
internal sealed class PostgresStore(NpgsqlDataSource dataSource, IEnumerable<IGrainWriteInterceptor> interceptors)
    : IGrainStorage, IEventLog, IGrainIndex
{
    /// <summary>The SQLSTATE <c>expect_one_row</c> raises for a stale version (migration 0003).</summary>
    private const string StaleVersionState = "OZ409";

    /// <summary>The SQLSTATE <c>expect_new_key</c> raises for an operation key claimed before (migration 0005).</summary>
    private const string DuplicateOperation = "OZ410";

    private readonly IGrainWriteInterceptor[] _interceptors = interceptors.ToArray();

    public async Task<StoredState?> ReadAsync(StateKey grainId, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(
                "SELECT state, version, deadlines FROM grain_state WHERE grain_type = $1 AND grain_key = $2");
            command.Parameters.Add(Text(grainId.Type));
            command.Parameters.Add(Text(grainId.Key));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new StoredState(reader.GetString(0), reader.GetInt64(1), reader.GetString(2))
                : null;
        }
        catch (NpgsqlException exception)
        {
            throw Translate(exception, $"Reading {grainId}");
        }
    }

    public async Task<long> WriteAsync(GrainWrite write, CancellationToken cancellationToken)
    {
        var id = write.StateKey;
        try
        {
            await using var batch = CreateWriteBatch(write);
            if (_interceptors.Length == 0)
            {
                // One round trip: the statements of a batch run in one implicit transaction, and the version guard
                // raises, so a stale write commits nothing.
                batch.Connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (batch.Connection)
                {
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return write.ExpectedVersion + 1;
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            batch.Connection = connection;
            batch.Transaction = transaction;
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            foreach (var interceptor in _interceptors)
            {
                await interceptor.BeforeCommitAsync(write, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return write.ExpectedVersion + 1;
        }
        catch (PostgresException exception) when (exception.SqlState == StaleVersionState)
        {
            throw StaleVersion.Of(id, write.ExpectedVersion, stored: null);
        }
        catch (PostgresException exception) when (exception.SqlState == DuplicateOperation)
        {
            throw new DuplicateOperationException(id, write.OperationKeys.Count == 1 ? write.OperationKeys[0] : null);
        }
        catch (NpgsqlException exception)
        {
            throw Translate(exception, $"Writing {id}");
        }
    }

    /// <summary>
    /// State row (guarded by its version), operation keys, events, index rows and index removals, in that
    /// order: the guard comes first, so a stale write raises before anything else runs and the batch commits nothing.
    /// </summary>
    private static NpgsqlBatch CreateWriteBatch(GrainWrite write)
    {
        var id = write.StateKey;
        var batch = new NpgsqlBatch();
        batch.BatchCommands.Add(write.ExpectedVersion == 0
            ? Command("""
                WITH written AS (
                    INSERT INTO grain_state (grain_type, grain_key, version, state, updated_at, deadlines, expires_at)
                    VALUES ($1, $2, 1, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1)
                SELECT expect_one_row((SELECT count(*) FROM written))
                """, Text(id.Type), Text(id.Key), Json(write.StateJson), Instant(write.At), Json(write.DeadlinesJson),
                NullableInstant(write.ExpiresAt))
            : Command("""
                WITH written AS (
                    UPDATE grain_state SET version = version + 1, state = $3, updated_at = $4, deadlines = $6, expires_at = $7
                    WHERE grain_type = $1 AND grain_key = $2 AND version = $5 RETURNING 1)
                SELECT expect_one_row((SELECT count(*) FROM written))
                """, Text(id.Type), Text(id.Key), Json(write.StateJson), Instant(write.At), Int64(write.ExpectedVersion),
                Json(write.DeadlinesJson), NullableInstant(write.ExpiresAt)));
        foreach (var key in write.OperationKeys)
        {
            batch.BatchCommands.Add(Command("""
                WITH claimed AS (
                    INSERT INTO grain_operation_keys (grain_type, grain_key, operation_key, claimed_at)
                    VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1)
                SELECT expect_new_key((SELECT count(*) FROM claimed))
                """, Text(id.Type), Text(id.Key), Text(key), Instant(write.At)));
        }

        foreach (var pending in write.Events)
        {
            batch.BatchCommands.Add(Command(
                "INSERT INTO events (stream, type, at, data, audiences, trace_parent) VALUES ($1, $2, $3, $4, $5, $6)",
                Text(pending.Stream), Text(pending.Type), Instant(pending.At), Json(pending.DataJson),
                new NpgsqlParameter<string[]> { TypedValue = [.. pending.Audiences], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter<string?> { TypedValue = pending.TraceParent, NpgsqlDbType = NpgsqlDbType.Text }));
        }

        foreach (var entry in write.IndexEntries)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO grain_index (index_name, partition_key, grain_type, grain_key, tag, sort_at, data)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (index_name, partition_key, grain_type, grain_key) DO UPDATE
                SET tag = excluded.tag, sort_at = excluded.sort_at, data = excluded.data
                """, Text(entry.Index), Text(entry.Partition), Text(id.Type), Text(id.Key), NullableText(entry.Tag),
                Instant(entry.SortAt), Json(entry.DataJson)));
        }

        foreach (var removal in write.IndexRemovals)
        {
            batch.BatchCommands.Add(Command(
                "DELETE FROM grain_index WHERE index_name = $1 AND partition_key = $2 AND grain_type = $3 AND grain_key = $4",
                Text(removal.Index), Text(removal.Partition), Text(id.Type), Text(id.Key)));
        }

        return batch;
    }

    public async Task<GrainIndexPage> QueryAsync(GrainIndexQuery query, CancellationToken cancellationToken)
    {
        GrainIndexQueries.Validate(query);

        // Only the filters the query names go into the SQL (at most eight shapes, each planned once), so every shape
        // is answered in order by grain_index_by_tag or grain_index_by_sort_at (migration 0004).
        var filter = "index_name = $1 AND partition_key = $2";
        var filterParameters = 2;
        if (query.Tag is not null)
        {
            filter += $" AND tag = ${++filterParameters}";
        }

        if (query.From is not null)
        {
            filter += $" AND sort_at >= ${++filterParameters}";
        }

        if (query.To is not null)
        {
            filter += $" AND sort_at < ${++filterParameters}";
        }

        // A parameter belongs to one command, so each of the two statements gets its own.
        NpgsqlParameter[] FilterParameters()
        {
            var parameters = new List<NpgsqlParameter> { Text(query.Index), Text(query.Partition) };
            if (query.Tag is { } tag)
            {
                parameters.Add(Text(tag));
            }

            if (query.From is { } from)
            {
                parameters.Add(Instant(from));
            }

            if (query.To is { } to)
            {
                parameters.Add(Instant(to));
            }

            return [.. parameters];
        }

        try
        {
            // One round trip: the page, then the total, counted apart so that a page past the end still has one.
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Command($"""
                SELECT grain_type, grain_key, tag, sort_at, data FROM grain_index
                WHERE {filter}
                ORDER BY sort_at DESC, grain_key, grain_type LIMIT ${filterParameters + 1} OFFSET ${filterParameters + 2}
                """,
                [.. FilterParameters(), new NpgsqlParameter<int> { TypedValue = query.Take }, new NpgsqlParameter<int> { TypedValue = query.Skip }]));
            batch.BatchCommands.Add(Command($"SELECT count(*) FROM grain_index WHERE {filter}", FilterParameters()));

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<GrainIndexRow>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new GrainIndexRow(
                    new StateKey(reader.GetString(0), reader.GetString(1)),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetString(4)));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new GrainIndexPage(rows, reader.GetInt64(0));
        }
        catch (NpgsqlException exception)
        {
            throw Translate(exception, $"Querying index '{query.Index}', partition '{query.Partition}'");
        }
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1 FROM grain_state LIMIT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Translate(exception, "Pinging storage");
        }
    }

    public async Task<EventBatch> ReadAsync(EventPosition after, int max, CancellationToken cancellationToken)
    {
        try
        {
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Command("""
                SELECT tx, seq, stream, type, at, data, audiences, trace_parent FROM events
                WHERE (tx, seq) > ($1, $2) AND tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                ORDER BY tx, seq LIMIT $3
                """, Int64(after.Transaction), Int64(after.Sequence), new NpgsqlParameter<int> { TypedValue = max }));
            batch.BatchCommands.Add(Command("""
                SELECT EXISTS (SELECT 1 FROM events
                WHERE (tx, seq) > ($1, $2) AND tx >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
                """, Int64(after.Transaction), Int64(after.Sequence)));
            return await ReadEventBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Translate(exception, "Reading events");
        }
    }

    public async Task<EventPosition> GetHeadAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Below the oldest in-flight transaction, as in ReadAsync: a later commit can never land at or before the head.
            await using var command = dataSource.CreateCommand("""
                SELECT tx, seq FROM events
                WHERE tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                ORDER BY tx DESC, seq DESC LIMIT 1
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new EventPosition(reader.GetInt64(0), reader.GetInt64(1))
                : EventPosition.Start;
        }
        catch (NpgsqlException exception)
        {
            throw Translate(exception, "Reading the head of the event log");
        }
    }

    public async Task<EventBatch> ReadForAudiencesAsync(
        EventPosition after, EventPosition upTo, IReadOnlyCollection<string> audiences, int max, CancellationToken cancellationToken)
    {
        try
        {
            // audiences && $5 is answered by the GIN index events_by_audience (migration 0002).
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Command("""
                SELECT tx, seq, stream, type, at, data, audiences, trace_parent FROM events
                WHERE (tx, seq) > ($1, $2) AND (tx, seq) <= ($3, $4) AND audiences && $5
                  AND tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                ORDER BY tx, seq LIMIT $6
                """, Int64(after.Transaction), Int64(after.Sequence), Int64(upTo.Transaction), Int64(upTo.Sequence),
                TextArray(audiences), new NpgsqlParameter<int> { TypedValue = max }));
            batch.BatchCommands.Add(Command("""
                SELECT EXISTS (SELECT 1 FROM events
                WHERE (tx, seq) > ($1, $2) AND (tx, seq) <= ($3, $4) AND audiences && $5
                  AND tx >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
                """, Int64(after.Transaction), Int64(after.Sequence), Int64(upTo.Transaction), Int64(upTo.Sequence),
                TextArray(audiences)));
            return await ReadEventBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Translate(exception, "Reading events for audiences");
        }
    }

    public async Task<int> TrimAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("DELETE FROM events WHERE at < $1");
            command.Parameters.Add(Instant(cutoff));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Translate(exception, "Trimming events");
        }
    }

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, DateTimeOffset keysClaimedBefore, CancellationToken cancellationToken)
    {
        try
        {
            // An expired state goes with its operation keys and index rows; a state is only given an expiry when
            // nothing it holds is needed any more.
            await using var states = dataSource.CreateCommand("""
                WITH gone AS (
                    DELETE FROM grain_state WHERE expires_at < $1 RETURNING grain_type, grain_key),
                keys AS (
                    DELETE FROM grain_operation_keys k USING gone
                    WHERE k.grain_type = gone.grain_type AND k.grain_key = gone.grain_key RETURNING 1),
                rows AS (
                    DELETE FROM grain_index i USING gone
                    WHERE i.grain_type = gone.grain_type AND i.grain_key = gone.grain_key RETURNING 1)
                SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM keys) + (SELECT count(*) FROM rows)
                """);
            states.Parameters.Add(Instant(now));
            var deleted = (long)(await states.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            await using var keys = dataSource.CreateCommand("DELETE FROM grain_operation_keys WHERE claimed_at < $1");
            keys.Parameters.Add(Instant(keysClaimedBefore));
            return (int)deleted + await keys.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw Translate(exception, "Deleting expired rows");
        }
    }

    /// <summary>Reads a batch of two statements: the events, then whether later ones wait behind an open transaction.</summary>
    private static async Task<EventBatch> ReadEventBatchAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<EventEnvelope>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new EventEnvelope(
                new EventPosition(reader.GetInt64(0), reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5),
                reader.GetFieldValue<string[]>(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new EventBatch(events, reader.GetBoolean(0));
    }

    private static GrainStorageException Translate(NpgsqlException exception, string operation) =>
        new($"{operation} failed in PostgreSQL: {(exception as PostgresException)?.SqlState ?? "connection"} {exception.Message}", exception);

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter NullableText(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<string[]> TextArray(IEnumerable<string> values) =>
        new() { TypedValue = [.. values], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter<string> Json(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static NpgsqlParameter NullableInstant(DateTimeOffset? value) =>
        new() { Value = value is { } at ? at.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter<DateTimeOffset> Instant(DateTimeOffset value) =>
        new() { TypedValue = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter<long> Int64(long value) => new() { TypedValue = value };

}
