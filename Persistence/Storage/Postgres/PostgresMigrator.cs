using System.Reflection;
using Npgsql;

namespace OzonActors.Persistence.Storage.Postgres;

/// <summary>
/// Applies the numbered SQL migrations embedded in this assembly, in order, each once, inside one transaction
/// under an advisory lock, so that several processes starting together migrate exactly once.
/// </summary>
internal sealed class PostgresMigrator(NpgsqlDataSource dataSource, string schema)
{
    private const string ResourcePrefix = "OzonActors.Migrations.";

    public static IReadOnlyList<(int Number, string Name, string Sql)> Migrations { get; } = LoadMigrations();

    /// <summary>Applies what is missing; returns the numbers applied now.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", cancellationToken, $"ozon-migrations:{schema}")
            .ConfigureAwait(false);

        // The schema name was validated as a plain identifier, so quoting it is enough.
        await ExecuteAsync(connection, $"""
            CREATE SCHEMA IF NOT EXISTS "{schema}";
            CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations (
                number integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken).ConfigureAwait(false);

        var applied = new HashSet<int>();
        await using (var command = new NpgsqlCommand($"""SELECT number FROM "{schema}".schema_migrations""", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var appliedNow = new List<int>();
        foreach (var (number, name, sql) in Migrations.Where(m => !applied.Contains(m.Number)))
        {
            await ExecuteAsync(connection, $"""SET LOCAL search_path TO "{schema}" """, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"""INSERT INTO "{schema}".schema_migrations (number, name) VALUES ($1, $2)""",
                cancellationToken, number, name).ConfigureAwait(false);
            appliedNow.Add(number);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return appliedNow;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<(int, string, string)> LoadMigrations()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                var file = name[ResourcePrefix.Length..];
                var number = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var text = new StreamReader(stream);
                return (number, file, text.ReadToEnd());
            })
            .OrderBy(m => m.number)
            .ToList();
    }
}
