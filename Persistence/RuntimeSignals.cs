namespace OzonActors.Persistence;

/// <summary>Wake-ups raised by committed writes in this process.</summary>
internal sealed class RuntimeSignals
{
    /// <summary>A committed write set a reminder: the reminder service re-computes its next wake-up.</summary>
    public AsyncSignal RemindersChanged { get; } = new();

    /// <summary>A write in this process appended events: the PostgreSQL notifier tells the other processes.</summary>
    public AsyncSignal EventsAppended { get; } = new();

    /// <summary>New events may be readable (a local commit or a notification): event feeds look.</summary>
    public AsyncSignal EventsAvailable { get; } = new();
}
