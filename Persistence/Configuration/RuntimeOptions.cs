namespace OzonActors.Persistence.Configuration;

/// <summary>The cluster this process belongs to (configuration section <c>Orleans</c>; see API.md, "Cluster").</summary>
public sealed class OzonClusterOptions
{
    public const string Section = "Orleans";

    /// <summary>Silos and clients with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "ozon";

    /// <summary>Stable across deployments: reminders and state belong to the service.</summary>
    public string ServiceId { get; set; } = "ozon-actors";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients (client gateways) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at; unset: the host's address.</summary>
    public string? AdvertisedIP { get; set; }

    /// <summary>
    /// How long a client gateway waits for a grain call's answer. Orleans 10.4 does not fail a call a gateway silo
    /// forwarded to a silo that then died (dotnet/orleans#10165): it waits out this timeout (Orleans' default: 30 s). A
    /// turn here takes milliseconds, so 5 s is ample, and a read or keyed command retried after it lands on a live silo.
    /// </summary>
    public TimeSpan ClientResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Storage settings (configuration section <c>Storage</c>); the provider is PostgreSQL when <c>ConnectionStrings:Postgres</c> is set.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The PostgreSQL connection string, from <c>ConnectionStrings:Postgres</c>; null selects the in-memory provider.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The PostgreSQL schema that holds the runtime's tables.</summary>
    public string Schema { get; set; } = "ozon";

    /// <summary>Apply the embedded migrations at start.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// The replay window: an operation key (an order id, an earning id, a withdrawal's request id) is kept this long
    /// after it was applied; a replay inside it is answered as a replay, one after it is treated as new.
    /// </summary>
    public TimeSpan OperationKeyRetention { get; set; } = TimeSpan.FromDays(90);
}

/// <summary>Deadline settings (configuration section <c>Reminders</c>).</summary>
public sealed class DeadlineOptions
{
    public const string Section = "Reminders";

    /// <summary>
    /// The period of every deadline's Orleans reminder: not a business interval but the retry interval. A deadline's
    /// reminder ticks at its due instant and then every period until the write that handles it unregisters it, so a tick
    /// lost while a silo dies (or a handler that failed) comes back within this time, not a day later. Orleans'
    /// <c>ReminderOptions.MinimumReminderPeriod</c> (1 minute by default) is lowered to this value to allow it.
    /// </summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether a silo on PostgreSQL wakes, at start, every deadline whose reminder row is missing (DeadlineSweep). Tests
    /// that run several clusters (service ids) on one database turn it off: each would wake the others' grains.
    /// </summary>
    public bool SweepOnStart { get; set; } = true;
}

/// <summary>Event log settings (configuration section <c>Events</c>).</summary>
public sealed class EventLogOptions
{
    public const string Section = "Events";

    /// <summary>Events older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often retention cleanup runs.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest sleep of a subscription when no notification arrives (the polling fallback).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events read per query.</summary>
    public int ReadBatchSize { get; set; } = 500;
}
