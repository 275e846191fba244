using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OzonActors.Persistence.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Reminders:RetryPeriod", "00:00:00.500", "Reminders:RetryPeriod must be at least one second (each tick of a due deadline costs a grain call) (was '00:00:00.5000000')")]
    [InlineData("Events:PollInterval", "00:00:00", "Events:PollInterval must be a positive duration (was '00:00:00')")]
    [InlineData("Events:ReadBatchSize", "0", "Events:ReadBatchSize must be a positive number (was '0')")]
    [InlineData("Storage:Schema", "Robert'); DROP TABLE", "Storage:Schema must be a lower-case SQL identifier")]
    public async Task A_bad_setting_stops_the_silo_start_with_a_message_naming_key_and_value(string key, string value, string message)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            Clusters.StartAsync(configure: o => o.Configuration[key] = value));

        Assert.Contains(message, exception.Message);
    }

    /// <remarks>
    /// Orleans checks its own options (ports, cluster and service ids) before ValidateOnStart runs, so of the
    /// <c>Orleans</c> section only what Orleans does not check reaches this validator: the advertised address, on the
    /// in-memory default (on PostgreSQL, <c>UseOzonClustering</c> parses it while the host is built).
    /// </remarks>
    [Fact]
    public async Task A_bad_advertised_address_stops_the_host_start_with_a_message_naming_key_and_value()
    {
        const string key = "Orleans:AdvertisedIP", value = "not-an-ip";
        const string message = "Orleans:AdvertisedIP must be an IP address (was 'not-an-ip')";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:SiloPort"] = "11111",
            ["Orleans:GatewayPort"] = "30000",
            [key] = value,
        });
        builder.AddOzonSilo();
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, exception.Message);
    }

    [Fact]
    public void Failure_detection_is_tuned_for_seconds_on_PostgreSQL_and_each_setting_can_be_overridden()
    {
        static Orleans.Configuration.ClusterMembershipOptions Membership(Dictionary<string, string?> settings)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            settings["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Database=none";
            settings["Orleans:AdvertisedIP"] = "127.0.0.1";
            builder.Configuration.AddInMemoryCollection(settings);
            builder.AddOzonSilo();
            using var host = builder.Build();
            return host.Services.GetRequiredService<IOptions<Orleans.Configuration.ClusterMembershipOptions>>().Value;
        }

        var tuned = Membership([]);
        Assert.Equal(TimeSpan.FromSeconds(2), tuned.ProbeTimeout);
        Assert.Equal(3, tuned.NumMissedProbesLimit);
        Assert.Equal(2, tuned.NumVotesForDeathDeclaration);
        Assert.Equal(3, tuned.NumProbedSilos);
        Assert.Equal(TimeSpan.FromSeconds(10), tuned.IAmAliveTablePublishTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), tuned.TableRefreshTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), tuned.DeathVoteExpirationTimeout);
        Assert.True(tuned.EnableIndirectProbes);

        var overridden = Membership(new() { ["Orleans:Membership:ProbeTimeout"] = "00:00:05", ["Orleans:Membership:NumVotesForDeathDeclaration"] = "3" });
        Assert.Equal(TimeSpan.FromSeconds(5), overridden.ProbeTimeout);
        Assert.Equal(3, overridden.NumVotesForDeathDeclaration);
        Assert.Equal(3, overridden.NumMissedProbesLimit);
    }
}
