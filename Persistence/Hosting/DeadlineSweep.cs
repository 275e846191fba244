using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using OzonActors.Persistence.Configuration;

namespace OzonActors.Persistence.Hosting;

/// <summary>
/// When a silo on PostgreSQL becomes active, it wakes every grain whose state holds a deadline the reminder table lacks:
/// deadlines carried over from the home-made runtime (migration 0009), or a reminder table restored apart from the
/// state. The wake-up is a tick of that deadline: the grain re-registers its reminders on activation and handles the
/// deadline if it is due. Every silo may do this at once; ticks are idempotent.
/// </summary>
internal sealed partial class DeadlineSweep(
    IServiceProvider services, IGrainFactory grains, IOptions<ClusterOptions> cluster, IOptions<StorageOptions> storage,
    ILogger<DeadlineSweep> log) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int MaxPerStart = 100_000;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeadlineSweep), ServiceLifecycleStage.Active, OnActiveAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        if (storage.Value.ConnectionString is not null && services.GetService(typeof(NpgsqlDataSource)) is NpgsqlDataSource dataSource)
        {
            // In the background: a silo becomes active without waiting for thousands of wake-ups.
            _ = Task.Run(() => SweepAsync(dataSource), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    private async Task SweepAsync(NpgsqlDataSource dataSource)
    {
        try
        {
            // Orleans prints a Guid key in its "N" form; our rows keep the "D" form (DurableStateAttributeMapper.KeyOf).
            await using var command = dataSource.CreateCommand("""
                SELECT g.grain_type, g.grain_key, d.name
                FROM grain_state g CROSS JOIN LATERAL jsonb_object_keys(g.deadlines) AS d(name)
                WHERE g.deadlines <> '{}'::jsonb
                  AND NOT EXISTS (
                    SELECT 1 FROM orleansreminderstable r
                    WHERE r.serviceid = $1 AND r.remindername = d.name
                      AND r.grainid = g.grain_type || '/' || CASE
                        WHEN g.grain_key ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                        THEN replace(g.grain_key, '-', '') ELSE g.grain_key END)
                LIMIT $2
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cluster.Value.ServiceId });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = MaxPerStart });
            var missing = new List<(string Type, string Key, string Name)>();
            await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    missing.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
                }
            }

            if (missing.Count == 0)
            {
                return;
            }

            LogSweeping(log, missing.Count);
            var now = DateTime.UtcNow;
            foreach (var (type, key, name) in missing)
            {
                var grainId = Guid.TryParseExact(key, "D", out var guid)
                    ? GrainId.Create(GrainType.Create(type), GrainIdKeyExtensions.CreateGuidKey(guid))
                    : GrainId.Create(type, key);
                try
                {
                    await grains.GetGrain<IRemindable>(grainId).ReceiveReminder(name, new TickStatus(now, TimeSpan.Zero, now)).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    LogWakeFailed(log, exception, name, grainId);
                }
            }
        }
        catch (Exception exception)
        {
            LogSweepFailed(log, exception);
        }
    }

    [LoggerMessage(1202, LogLevel.Information, "Waking {Count} deadlines that had no reminder.")]
    private static partial void LogSweeping(ILogger logger, int count);

    [LoggerMessage(1204, LogLevel.Warning, "Waking deadline '{Name}' of {GrainId} failed; it is woken when the grain is next called.")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string name, GrainId grainId);

    [LoggerMessage(1203, LogLevel.Warning, "Waking deadlines without reminders failed; they are woken when their grains are next called.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
