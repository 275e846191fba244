using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace OzonActors.Testing;

/// <summary>Test access to a running silo's services, e.g. inside a WebApplicationFactory.</summary>
public static class RuntimeServices
{
    /// <summary>Runs one pass of the retention loop now (events, expired states, operation keys past the replay window).</summary>
    public static Task<int> RunRetentionAsync(this IServiceProvider services) =>
        services.GetRequiredService<OzonActors.Persistence.Events.EventRetention>().TrimAsync(CancellationToken.None);

    /// <summary>
    /// Delivers a tick to every registered reminder, pass after pass, until a pass changes nothing in the reminder table,
    /// and returns then: every deadline due by the silo's (fake) clock has been handled. A deadline not yet due ignores its
    /// tick, as it would a real one; a handler that throws leaves its deadline in place, like a failed real tick.
    /// </summary>
    public static async Task FireDueRemindersAsync(this IServiceProvider services)
    {
        var table = services.GetRequiredService<IReminderTable>();
        var grains = services.GetRequiredService<IGrainFactory>();
        var time = services.GetRequiredKeyedService<TimeProvider>(BusinessClock.Key);
        string? previous = null;
        for (var pass = 0; pass < 1_000; pass++)
        {
            // begin == end reads the whole ring.
            var rows = (await table.ReadRows(0, 0).ConfigureAwait(false)).Reminders;
            var signature = string.Join('|', rows.Select(r => $"{r.GrainId}/{r.ReminderName}/{r.ETag}").Order(StringComparer.Ordinal));
            if (signature == previous)
            {
                return;
            }

            previous = signature;
            var now = time.GetUtcNow().UtcDateTime;
            await Task.WhenAll(rows.Select(row => TickAsync(grains, row, now))).ConfigureAwait(false);
        }

        throw new InvalidOperationException("Reminders kept changing after 1,000 passes: a handler sets its deadline in the past again.");
    }

    private static async Task TickAsync(IGrainFactory grains, ReminderEntry row, DateTime now)
    {
        try
        {
            await grains.GetGrain<IRemindable>(row.GrainId).ReceiveReminder(row.ReminderName, new TickStatus(row.StartAt, row.Period, now))
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // As with a real tick: the deadline stays, and the next pass (or the real reminder) tries again.
        }
    }
}
