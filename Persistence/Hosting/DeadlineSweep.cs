using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Metadata;
using Orleans.Runtime;
using OzonActors.Persistence.Configuration;
using OzonActors.Persistence.Facet;

namespace OzonActors.Persistence.Hosting;

/// <summary>
/// When a silo on PostgreSQL becomes active, it wakes every grain whose state holds a deadline the reminder table lacks:
/// deadlines carried over from the home-made runtime (migration 0009), or a reminder table restored apart from the
/// state. The wake-up is a tick of that deadline: the grain re-registers its reminders on activation and handles the
/// deadline if it is due. Every silo may do this at once; ticks are idempotent.
/// </summary>
internal sealed partial class DeadlineSweep(
    IServiceProvider services, IGrainFactory grains, IOptions<ClusterOptions> cluster, IOptions<StorageOptions> storage,
    IOptions<DeadlineOptions> deadlines,
    ILogger<DeadlineSweep> log) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int MaxPerStart = 100_000;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeadlineSweep), ServiceLifecycleStage.Active, OnActiveAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        if (deadlines.Value.SweepOnStart && storage.Value.ConnectionString is not null && services.GetService(typeof(NpgsqlDataSource)) is NpgsqlDataSource dataSource)
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
            var missing = new List<(GrainId GrainId, string Name)>();
            foreach (var (stateName, grainType, guidKeyed) in DurableGrainTypes())
            {
                missing.AddRange(await FindMissingAsync(dataSource, stateName, grainType, guidKeyed).ConfigureAwait(false));
            }

            if (missing.Count == 0)
            {
                return;
            }

            LogSweeping(log, missing.Count);
            var now = DateTime.UtcNow;
            foreach (var (grainId, name) in missing)
            {
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

    /// <summary>
    /// The deadlines of one grain class's states that have no reminder row. Orleans prints a Guid key in its "N" form;
    /// our rows keep the "D" form (DurableStateAttributeMapper.KeyOf), so the key is converted for Guid-keyed classes only.
    /// </summary>
    private async Task<List<(GrainId, string)>> FindMissingAsync(NpgsqlDataSource dataSource, string stateName, GrainType grainType, bool guidKeyed)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT g.grain_key, d.name
            FROM grain_state g CROSS JOIN LATERAL jsonb_object_keys(g.deadlines) AS d(name)
            WHERE g.grain_type = $1 AND g.deadlines <> '{}'::jsonb
              AND NOT EXISTS (
                SELECT 1 FROM orleansreminderstable r
                WHERE r.serviceid = $2 AND r.remindername = d.name
                  AND r.grainid = $3 || '/' || CASE WHEN $4 THEN replace(g.grain_key, '-', '') ELSE g.grain_key END)
            LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cluster.Value.ServiceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainType.ToString()! });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = guidKeyed });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = MaxPerStart });
        var missing = new List<(GrainId, string)>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var key = reader.GetString(0);
            var grainId = guidKeyed && Guid.TryParseExact(key, "D", out var guid)
                ? GrainId.Create(grainType, GrainIdKeyExtensions.CreateGuidKey(guid))
                : GrainId.Create(grainType, IdSpan.Create(key));
            missing.Add((grainId, reader.GetString(1)));
        }

        return missing;
    }

    /// <summary>Every grain class with a <c>[DurableState]</c> parameter: its storage name, Orleans grain type and key kind.</summary>
    private IEnumerable<(string StateName, GrainType GrainType, bool GuidKeyed)> DurableGrainTypes()
    {
        var resolver = (GrainTypeResolver)services.GetService(typeof(GrainTypeResolver))!;
        var persistence = typeof(DurableStateAttribute).Assembly.GetName().Name;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic || !assembly.GetReferencedAssemblies().Any(a => a.Name == persistence))
            {
                continue;
            }

            foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGrain).IsAssignableFrom(t)))
            {
                var names = type.GetConstructors()
                    .SelectMany(c => c.GetParameters())
                    .Select(p => p.GetCustomAttribute<DurableStateAttribute>()?.Name)
                    .OfType<string>();
                foreach (var name in names.Where(seen.Add))
                {
                    yield return (name, resolver.GetGrainType(type), typeof(IGrainWithGuidKey).IsAssignableFrom(type));
                }
            }
        }
    }

    [LoggerMessage(1202, LogLevel.Information, "Waking {Count} deadlines that had no reminder.")]
    private static partial void LogSweeping(ILogger logger, int count);

    [LoggerMessage(1204, LogLevel.Warning, "Waking deadline '{Name}' of {GrainId} failed; it is woken when the grain is next called.")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string name, GrainId grainId);

    [LoggerMessage(1203, LogLevel.Warning, "Waking deadlines without reminders failed; they are woken when their grains are next called.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
