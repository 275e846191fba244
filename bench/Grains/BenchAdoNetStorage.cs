using Npgsql;
using Orleans.Hosting;

namespace OzonActors.Bench.Grains;

/// <summary>
/// Orleans' own grain persistence (<c>Microsoft.Orleans.Persistence.AdoNet</c>, invariant <c>Npgsql</c>) on the bench's
/// PostgreSQL database, for the writes scenario's comparison. Its table and the three queries the provider reads at start
/// (<c>WriteToStorageKey</c>, <c>ReadFromStorageKey</c>, <c>ClearStorageKey</c> in <c>OrleansQuery</c>) are created by the
/// bench in a schema of its own (<see cref="Schema"/>), apart from the service's migrations and from the <c>orleansquery</c>
/// table of the clustering and reminder providers; the provider finds them through the connection's search path.
/// </summary>
/// <remarks>
/// The provider's contract (10.4.2): it binds @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString (the
/// state's name), @GrainIdExtensionString (a string key, or a key extension; null otherwise), @ServiceId,
/// @GrainStateVersion (the etag it holds; null before the first write) and @PayloadBinary (the serialized state). A write
/// answers one column NewGrainStateVersion: the new version when it changed the row, and anything else (the version it
/// was given, or null) is taken as a conflict. A read answers PayloadBinary and Version. The statements here are the
/// bench's own, written for this table: one statement each, the row found by its primary key.
/// </remarks>
internal static class BenchAdoNetStorage
{
    public const string ProviderName = "bench-adonet";

    /// <summary>The state's name, which the provider stores as the row's type (it is not the grain type).</summary>
    public const string StateName = "bench-adonet-write";

    public const string Schema = "bench";

    /// <summary>The key columns, matched with the provider's parameters (a missing extension is stored as '').</summary>
    private const string KeyMatch = """
        serviceid = @ServiceId::varchar
              AND graintypestring = @GrainTypeString::varchar
              AND grainidn0 = @GrainIdN0::bigint
              AND grainidn1 = @GrainIdN1::bigint
              AND grainidextensionstring = coalesce(@GrainIdExtensionString::varchar, '')
        """;

    private static readonly string Create = $$"""
        CREATE SCHEMA IF NOT EXISTS {{Schema}};

        CREATE TABLE {{Schema}}.orleansquery
        (
            querykey  varchar(64) NOT NULL PRIMARY KEY,
            querytext text        NOT NULL
        );

        -- One row per grain state. The hashes are stored as the provider sends them; rows are found by the primary key.
        CREATE TABLE {{Schema}}.orleansstorage
        (
            serviceid              varchar(150) NOT NULL,
            graintypestring        varchar(512) NOT NULL,
            grainidn0              bigint       NOT NULL,
            grainidn1              bigint       NOT NULL,
            grainidextensionstring varchar(512) NOT NULL,
            grainidhash            integer      NOT NULL,
            graintypehash          integer      NOT NULL,
            payloadbinary          bytea        NULL,
            modifiedon             timestamptz  NOT NULL,
            version                integer      NOT NULL,
            PRIMARY KEY (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
        );

        INSERT INTO {{Schema}}.orleansquery (querykey, querytext) VALUES

        -- Update the row at the version the grain holds, or insert version 1 when it holds none; one row answers either
        -- way: the new version, or (nothing changed) the version it was given, which the provider takes as a conflict.
        ('WriteToStorageKey', $q$
        WITH updated AS (
            UPDATE orleansstorage
            SET payloadbinary = @PayloadBinary::bytea, modifiedon = now(), version = version + 1
            WHERE @GrainStateVersion::integer IS NOT NULL
              AND {{KeyMatch}}
              AND version = @GrainStateVersion::integer
            RETURNING version
        ), inserted AS (
            INSERT INTO orleansstorage
                (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring, grainidhash, graintypehash,
                 payloadbinary, modifiedon, version)
            SELECT @ServiceId::varchar, @GrainTypeString::varchar, @GrainIdN0::bigint, @GrainIdN1::bigint,
                   coalesce(@GrainIdExtensionString::varchar, ''), @GrainIdHash::integer, @GrainTypeHash::integer,
                   @PayloadBinary::bytea, now(), 1
            WHERE @GrainStateVersion::integer IS NULL
            ON CONFLICT DO NOTHING
            RETURNING version
        )
        SELECT coalesce((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion::integer)
               AS newgrainstateversion
        $q$),

        ('ReadFromStorageKey', $q$
        SELECT payloadbinary, NULL::text AS payloadxml, NULL::text AS payloadjson, version
        FROM orleansstorage
        WHERE {{KeyMatch}}
        $q$),

        -- Clears the payload at the version the grain holds; answers the new version (or, on a conflict, the old one).
        ('ClearStorageKey', $q$
        WITH cleared AS (
            UPDATE orleansstorage
            SET payloadbinary = NULL, modifiedon = now(), version = version + 1
            WHERE {{KeyMatch}}
              AND version = @GrainStateVersion::integer
            RETURNING version
        )
        SELECT coalesce((SELECT version FROM cleared), @GrainStateVersion::integer) AS newgrainstateversion
        $q$);

        -- The raw Npgsql side's table.
        CREATE TABLE {{Schema}}.raw_upsert (id text PRIMARY KEY, version bigint NOT NULL, value jsonb NOT NULL, updated_at timestamptz NOT NULL);
        """;

    /// <summary>The raw side's table, created with the provider's.</summary>
    public const string RawTable = Schema + ".raw_upsert";

    /// <summary>Creates the schema, Orleans' storage table with its queries, and the raw side's table.</summary>
    public static async Task CreateAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(Create);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Registers the provider on a silo, on the bench's schema of <paramref name="connectionString"/>'s database.</summary>
    public static void AddTo(ISiloBuilder silo, string connectionString) =>
        silo.AddAdoNetGrainStorage(ProviderName, options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = Schema }.ConnectionString;
        });
}
