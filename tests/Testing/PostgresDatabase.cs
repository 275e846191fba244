using Xunit;

namespace OzonActors.Testing;

/// <summary>A fresh database for one test class (<c>IClassFixture&lt;PostgresDatabase&gt;</c>), dropped afterwards.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = await PostgresServer.CreateDatabaseAsync().ConfigureAwait(false);

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(ConnectionString);
}
