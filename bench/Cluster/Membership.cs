using Npgsql;

namespace OzonActors.Bench.Cluster;

/// <summary>
/// Reads Orleans' membership table (<c>{schema}.orleansmembershiptable</c>): one row per silo incarnation (address,
/// port, generation), <c>status</c> being Orleans' SiloStatus.
/// </summary>
internal static class Membership
{
    /// <summary>SiloStatus.Active.</summary>
    public const int Active = 3;

    /// <summary>SiloStatus.Dead.</summary>
    public const int Dead = 6;

    /// <summary>The newest incarnation of the silo on <paramref name="port"/>: its generation and status, or null if it has no row yet.</summary>
    public static async Task<(int Generation, int Status)?> LatestAsync(NpgsqlDataSource dataSource, string schema, int port)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT generation, status FROM \"{schema}\".orleansmembershiptable WHERE port = $1 ORDER BY generation DESC LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = port });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt32(0), reader.GetInt32(1)) : null;
    }

    /// <summary>The status of one incarnation, or null if it has no row.</summary>
    public static async Task<int?> StatusAsync(NpgsqlDataSource dataSource, string schema, int port, int generation)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT status FROM \"{schema}\".orleansmembershiptable WHERE port = $1 AND generation = $2");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = port });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = generation });
        return await command.ExecuteScalarAsync() is int status ? status : null;
    }

    /// <summary>
    /// Polls every <paramref name="interval"/> until the silo on <paramref name="port"/> has an incarnation newer than
    /// <paramref name="after"/> (any, when null) with status <see cref="Active"/>; answers its generation, or null at
    /// <paramref name="timeout"/>.
    /// </summary>
    public static async Task<int?> WaitForActiveAsync(
        NpgsqlDataSource dataSource, string schema, int port, int? after, TimeSpan interval, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await LatestAsync(dataSource, schema, port) is { Status: Active } latest && (after is null || latest.Generation > after))
            {
                return latest.Generation;
            }

            await Task.Delay(interval);
        }

        return null;
    }
}
