using OzonActors.Persistence.Facet;

namespace OzonActors.Bench.Grains;

public sealed class BenchReminderState
{
    public int Fired { get; set; }

    public DateTimeOffset LastDueAt { get; set; }
}

public interface IBenchReminderGrain : IGrainWithStringKey
{
    /// <summary>Sets the deadline <paramref name="name"/> (its Orleans reminder is registered before the write commits it).</summary>
    Task ScheduleAsync(string name, DateTimeOffset dueAt);
}

/// <summary>
/// Records how late each deadline was handled, then writes its state; that write consumes the deadline, and the facet
/// unregisters its Orleans reminder after it.
/// </summary>
[GrainType(GrainTypeName)]
public sealed class BenchReminderGrain(
    [DurableState("bench-reminder")] IDurableState<BenchReminderState> state, TimeProvider time, ReminderProbe probe)
    : DurableGrain<BenchReminderState>(state, time), IBenchReminderGrain
{
    /// <summary>The Orleans grain type (the type part of its GrainId and of its reminders' grain ids).</summary>
    public const string GrainTypeName = "bench-reminder";

    public async Task ScheduleAsync(string name, DateTimeOffset dueAt)
    {
        SetReminder(name, dueAt);
        await WriteStateAsync();
    }

    protected override async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        var lag = TimeProvider.GetUtcNow() - dueAt;
        State.Fired++;
        State.LastDueAt = dueAt;
        await WriteStateAsync();

        // Counted once committed: a delivery whose write failed is retried (the reminder ticks again) and counted then.
        probe.Record(lag);
    }
}
