using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

/// <summary>
/// Issue 14: the data source is Npgsql's own registration (<c>AddNpgsqlDataSource</c>), so Npgsql logs through the
/// host's logger factory, with our settings on top: the schema on the search path, auto-prepare and a bounded pool.
/// </summary>
public sealed class DataSourceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Npgsql_logs_its_commands_through_the_host_logger_factory()
    {
        await using var services = Build(database.ConnectionString);
        await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            await using var command = new NpgsqlCommand("SELECT 'logged by npgsql'", connection);
            await command.ExecuteScalarAsync();
        }

        var records = services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Category == "Npgsql.Command" && r.Message.Contains("logged by npgsql", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", 40, 32)]
    [InlineData(";Maximum Pool Size=7;Max Auto Prepare=5", 7, 5)]
    public async Task The_data_source_searches_the_schema_and_bounds_its_pool_and_prepares_statements_unless_the_connection_string_says(
        string given, int maxPoolSize, int maxAutoPrepare)
    {
        await using var services = Build("Host=127.0.0.1;Database=unused" + given, schema: "ds_settings");

        var settings = new NpgsqlConnectionStringBuilder(services.GetRequiredService<NpgsqlDataSource>().ConnectionString);

        Assert.Equal("ds_settings", settings.SearchPath);
        Assert.Equal(maxPoolSize, settings.MaxPoolSize);
        Assert.Equal(maxAutoPrepare, settings.MaxAutoPrepare);
    }

    private static ServiceProvider Build(string connectionString, string schema = "ozon")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Storage:Schema"] = schema,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddOzonPersistence(configuration);
        return services.BuildServiceProvider();
    }
}
