using OzonActors.Persistence;

namespace OzonActors.Bench.Grains;

public sealed class BenchReminderState
{
    public int Fired { get; set; }

    public DateTimeOffset LastDueAt { get; set; }
}

public interface IBenchReminderGrain : IGrainWithStringKey, IRemindable
{
    Task ScheduleAsync(string name, DateTimeOffset dueAt);
}

/// <summary>Records how late each reminder fired, then writes its state (which also acknowledges the reminder).</summary>
[GrainType("bench-reminder")]
public sealed class BenchReminderGrain(ReminderProbe probe) : Grain<BenchReminderState>, IBenchReminderGrain
{
    public async Task ScheduleAsync(string name, DateTimeOffset dueAt)
    {
        SetReminder(name, dueAt);
        await WriteStateAsync();
    }

    public async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        var lag = TimeProvider.GetUtcNow() - dueAt;
        State.Fired++;
        State.LastDueAt = dueAt;
        await WriteStateAsync();

        // Counted once committed: a delivery whose write failed is retried and counted then.
        probe.Record(lag);
    }
}
