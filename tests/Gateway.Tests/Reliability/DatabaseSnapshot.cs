using Npgsql;

namespace OzonActors.Gateway.Tests.Reliability;

/// <summary>
/// The content of every table of a database, as a row count and an md5 of the rows in a fixed order, so two snapshots
/// are equal exactly when no row was added, removed or changed.
/// </summary>
public sealed record DatabaseSnapshot(IReadOnlyDictionary<string, (long Rows, string Md5)> Tables)
{
    /// <summary>
    /// Tables whose content changes by itself, whatever clients send. Only one: each silo rewrites its own row of Orleans'
    /// membership table (<c>iamalivetime</c>) on a timer, so it differs between two snapshots even when no request ran.
    /// Which silos are members (the version table) is still compared.
    /// </summary>
    public static readonly IReadOnlySet<string> ChangingByThemselves = new HashSet<string>(StringComparer.Ordinal)
    {
        "ozon.orleansmembershiptable",
    };

    public static async Task<DatabaseSnapshot> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables "
            + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        var tables = new SortedDictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var name in names.Where(n => !ChangingByThemselves.Contains(n)))
        {
            // Table names come from the catalog, quoted by quote_ident: not client input.
            await using var command = new NpgsqlCommand(
                $"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {name} t", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            tables[name] = (reader.GetInt64(0), reader.GetString(1));
        }

        return new DatabaseSnapshot(tables);
    }

    /// <summary>The tables that differ, with their row counts before and after; empty when nothing changed.</summary>
    public IReadOnlyList<string> Differences(DatabaseSnapshot after) =>
        Tables.Keys.Union(after.Tables.Keys)
            .Where(t => !Tables.TryGetValue(t, out var a) || !after.Tables.TryGetValue(t, out var b) || a != b)
            .Select(t => $"{t}: {Rows(this, t)} → {Rows(after, t)} rows")
            .ToList();

    private static string Rows(DatabaseSnapshot snapshot, string table) =>
        snapshot.Tables.TryGetValue(table, out var value) ? value.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
}
