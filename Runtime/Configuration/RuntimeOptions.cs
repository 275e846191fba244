namespace OzonActors.Runtime.Configuration;

/// <summary>Activation and call settings (configuration section <c>Runtime</c>).</summary>
public sealed class RuntimeOptions
{
    public const string Section = "Runtime";

    /// <summary>How long a caller waits for a grain call before a <see cref="TimeoutException"/> (wall clock).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation idle for this long is collected.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);
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
}

/// <summary>Reminder delivery settings (configuration section <c>Reminders</c>).</summary>
public sealed class ReminderOptions
{
    public const string Section = "Reminders";

    /// <summary>Longest sleep between looks for due reminders (other processes may have set some).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many due reminders one claim takes.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>How many deliveries run at once.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 128;

    /// <summary>A claimed reminder is hidden from other processes for this long; if its claimer dies, another takes it after.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>First retry delay after a handler failed; doubles per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
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
