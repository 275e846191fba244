using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OzonActors.Persistence.Events;
using OzonActors.Persistence.Storage;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

/// <summary>Reads what a test cluster committed, around the grains: stored state, events, operation keys, reminder rows.</summary>
internal static class Inspect
{
    public static Task<StoredState?> StateAsync(TestCluster cluster, string type, string key) =>
        cluster.Services.GetRequiredService<IGrainStorage>().ReadAsync(new StateKey(type, key), default);

    /// <summary>The deadlines committed with the grain's state (none when it was never written).</summary>
    public static async Task<Dictionary<string, DateTimeOffset>> DeadlinesAsync(TestCluster cluster, string type, string key) =>
        await StateAsync(cluster, type, key) is { } stored
            ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(stored.DeadlinesJson, GrainJson.Options)!
            : [];

    /// <summary>
    /// The events of <paramref name="stream"/>. On PostgreSQL it counts the table itself: the log hides a commit while an
    /// older transaction anywhere on the server is open, which would make "no event" checks pass for the wrong reason.
    /// </summary>
    public static async Task<long> CountEventsAsync(TestCluster cluster, string stream)
    {
        if (cluster.Options.ConnectionString is { } database)
        {
            return await ScalarAsync(database, "SELECT count(*) FROM ozon.events WHERE stream = $1", stream);
        }

        var batch = await cluster.Services.GetRequiredService<IEventLog>().ReadAsync(EventPosition.Start, 100_000, default);
        return batch.Events.Count(e => e.Stream == stream);
    }

    /// <summary>The index rows of one partition.</summary>
    public static async Task<GrainIndexPage> IndexAsync(TestCluster cluster, string index, string partition) =>
        await cluster.Services.GetRequiredService<IGrainIndex>().QueryAsync(new GrainIndexQuery(index, partition), default);

    /// <summary>The names of the grain's rows in the reminder table, in order.</summary>
    public static async Task<string[]> RemindersAsync(IServiceProvider silo, string type, string key)
    {
        var rows = await silo.GetRequiredService<IReminderTable>().ReadRows(GrainId.Create(type, key));
        return rows.Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal).ToArray();
    }

    public static Task<string[]> RemindersAsync(TestCluster cluster, string type, string key) => RemindersAsync(cluster.Services, type, key);

    public static async Task<long> ScalarAsync(string database, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<string?> TextAsync(string database, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync() as string;
    }
}
