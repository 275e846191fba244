using System.Diagnostics;
using Npgsql;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests;

/// <summary>
/// The gateway process on PostgreSQL is an Orleans silo: its row in Orleans' membership table is Active, a new return
/// request's deadline is an Orleans reminder row, and that deadline still fires after the process is killed with SIGKILL
/// and started again.
/// </summary>
public sealed class OrleansOnPostgresTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_deadline_set_before_a_SIGKILL_fires_after_the_silo_starts_again()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["Returns:Deadlines:New"] = "00:00:06",
            ["Reminders:RetryPeriod"] = "00:00:01",
        };
        Guid requestId;
        await using (var first = await GatewayProcess.StartAsync(settings))
        {
            Assert.Contains(3, await ScalarsAsync<int>("SELECT status FROM ozon.orleansmembershiptable"));

            var api = new ApiClient(first.CreateClient());
            var customer = await api.LoginAsync(ApiClient.NewPhone());
            var orderId = await api.RecordOrderAsync(customer.OzonId, Guid.NewGuid(), price: 5_000m);
            var request = await api.CreateReturnAsync(customer, orderId);
            Assert.Equal("New", request.Status());
            requestId = request["id"]!.GetValue<Guid>();

            // Orleans prints a Guid key in its "N" form.
            Assert.Equal(["deadline"], await ScalarsAsync<string>(
                "SELECT remindername FROM ozon.orleansreminderstable WHERE grainid = $1", $"return-request/{requestId:N}"));

            await first.KillAsync();
        }

        // The deadline falls due while no silo runs; the next one to start picks its reminder up.
        await using var second = await GatewayProcess.StartAsync(settings);
        var status = await WaitForStatusAsync(requestId, "Approved", TimeSpan.FromSeconds(90));
        Assert.Equal("Approved", status);

        // The Approved status has its own deadline (days away): the same reminder now points there.
        var next = Assert.Single(await ScalarsAsync<DateTime>(
            "SELECT starttime FROM ozon.orleansreminderstable WHERE grainid = $1 AND remindername = 'deadline'", $"return-request/{requestId:N}"));
        Assert.True(next > DateTime.UtcNow.AddDays(1), $"the Approved deadline's reminder starts at {next:O}");
    }

    private async Task<string?> WaitForStatusAsync(Guid requestId, string expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string? status = null;
        while (clock.Elapsed < timeout)
        {
            status = (await ScalarsAsync<string>(
                "SELECT state->>'status' FROM ozon.grain_state WHERE grain_type = 'return-request' AND grain_key = $1", requestId.ToString("D")))
                .SingleOrDefault();
            if (status == expected)
            {
                return status;
            }

            await Task.Delay(250);
        }

        return status;
    }

    private async Task<List<T>> ScalarsAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
