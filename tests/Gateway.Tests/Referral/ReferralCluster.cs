using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orleans;
using Orleans.Runtime;
using OzonActors.Referral;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Referral;

/// <summary>The marketplace's grains in a <see cref="TestCluster"/>, with the referral options bound from configuration.</summary>
internal static class ReferralCluster
{
    public static Task<TestCluster> StartAsync(
        FakeTimeProvider time, string? connectionString = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        return TestCluster.StartAsync(options =>
        {
            options.ConnectionString = connectionString;
            options.Time = time;
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                options.Configuration[key] = value;
            }
        });
    }

    /// <summary>Moves the clock to <paramref name="instant"/> and handles every reminder due by then.</summary>
    public static Task AdvanceToAsync(this TestCluster cluster, DateTimeOffset instant) => cluster.AdvanceTimeAsync(instant - cluster.Time.GetUtcNow());

    public static IReferralManagerGrain Manager(this TestCluster cluster, Guid id) => cluster.GrainFactory.GetGrain<IReferralManagerGrain>(id);

    /// <summary>
    /// Delivers one more tick of the reminder <paramref name="name"/>, as Orleans does after a crash or a retry: the grain
    /// handles the deadline its state holds if it is due, and ignores the tick otherwise.
    /// </summary>
    public static Task TickAsync(this IReferralManagerGrain grain, string name, DateTimeOffset now) =>
        grain.AsReference<IRemindable>().ReceiveReminder(name, new TickStatus(now.UtcDateTime, TimeSpan.FromSeconds(5), now.UtcDateTime));

    /// <summary>The summary, ledger and settlements as one JSON text, to compare before and after.</summary>
    public static async Task<string> FiguresAsync(this IReferralManagerGrain grain) =>
        JsonSerializer.Serialize(new { summary = await grain.GetAsync(), ledger = await grain.GetLedgerAsync(), settlements = await grain.GetSettlementsAsync() });
}
