using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Referral;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Referral;

/// <summary>The marketplace's grains in a <see cref="TestCluster"/>, with the referral options bound from configuration.</summary>
internal static class ReferralCluster
{
    public static Task<TestCluster> StartAsync(
        ManualTimeProvider time, string? connectionString = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        return TestCluster.StartAsync(options =>
        {
            options.ConnectionString = connectionString;
            options.Time = time;
            options.Grains = grains => grains.AddOzonGrains();
            options.Services = services => services.AddLogging().AddOzonGrainOptions(configuration);

            // The tests move the clock by weeks and wait for due reminders themselves.
            options.Configuration["Reminders:PollInterval"] = "01:00:00";
            options.Configuration["Events:PollInterval"] = "01:00:00";
        });
    }

    /// <summary>Moves the clock to <paramref name="instant"/> and handles every reminder due by then.</summary>
    public static Task AdvanceToAsync(this TestCluster cluster, DateTimeOffset instant) => cluster.AdvanceTimeAsync(instant - cluster.Time.GetUtcNow());

    public static IReferralManagerGrain Manager(this TestCluster cluster, Guid id) => cluster.GrainFactory.GetGrain<IReferralManagerGrain>(id);

    /// <summary>The summary, ledger and settlements as one JSON text, to compare before and after.</summary>
    public static async Task<string> FiguresAsync(this IReferralManagerGrain grain) =>
        JsonSerializer.Serialize(new { summary = await grain.GetAsync(), ledger = await grain.GetLedgerAsync(), settlements = await grain.GetSettlementsAsync() });
}
