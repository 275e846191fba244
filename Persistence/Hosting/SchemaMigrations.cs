using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OzonActors.Persistence.Configuration;
using OzonActors.Persistence.Storage.Postgres;

namespace OzonActors.Persistence.Hosting;

/// <summary>
/// Applies the schema once per process, before anything reads it: the silo's first lifecycle stage (Orleans' membership
/// and reminder tables are part of it) and the event log both await it. In memory it only says, loudly, that nothing is durable.
/// </summary>
internal sealed class SchemaMigrations(IServiceProvider services, IOptions<StorageOptions> storage, ILogger<SchemaMigrations> log)
{
    private readonly Lazy<Task> _applied = new(() => ApplyAsync(services, storage.Value, log));

    public Task EnsureAppliedAsync(CancellationToken cancellationToken) => _applied.Value.WaitAsync(cancellationToken);

    private static async Task ApplyAsync(IServiceProvider services, StorageOptions storage, ILogger log)
    {
        if (storage.ConnectionString is null)
        {
            log.InMemoryStorage();
            return;
        }

        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var applied = storage.MigrateOnStart
            ? await new PostgresMigrator(dataSource, storage.Schema).MigrateAsync(CancellationToken.None).ConfigureAwait(false)
            : [];
        log.PostgresReady(storage.Schema, applied.Count == 0 ? "none" : string.Join(", ", applied));
    }
}
