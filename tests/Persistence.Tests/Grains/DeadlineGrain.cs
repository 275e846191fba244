using System.Collections.Concurrent;

namespace OzonActors.Persistence.Tests.Grains;

public sealed record FiredReminder(string Name, DateTimeOffset DueAt, DateTimeOffset FiredAt);

public sealed class DeadlineState
{
    public List<FiredReminder> Fired { get; set; } = [];

    public int Writes { get; set; }
}

public interface IDeadlineGrain : IGrainWithStringKey, IRemindable
{
    Task ScheduleAsync(string name, DateTimeOffset dueAt);

    Task CancelAsync(string name);

    Task<IReadOnlyList<FiredReminder>> GetFiredAsync();

    /// <summary>Sets a reminder and emits an event in the same write.</summary>
    Task ScheduleWithEventAsync(string name, DateTimeOffset dueAt);
}

/// <summary>Records every reminder it receives; can be told to fail its next deliveries.</summary>
[GrainType("test-deadline")]
public sealed class DeadlineGrain : Grain<DeadlineState>, IDeadlineGrain
{
    public static ConcurrentDictionary<string, int> FailuresToThrow { get; } = new();

    public static ConcurrentDictionary<string, int> Deliveries { get; } = new();

    public async Task ScheduleAsync(string name, DateTimeOffset dueAt)
    {
        SetReminder(name, dueAt);
        State.Writes++;
        await WriteStateAsync();
    }

    public async Task ScheduleWithEventAsync(string name, DateTimeOffset dueAt)
    {
        SetReminder(name, dueAt);
        Emit($"deadline:{GetPrimaryKeyString()}", "DeadlineScheduled", new { name, dueAt }, "test:all");
        State.Writes++;
        await WriteStateAsync();
    }

    public async Task CancelAsync(string name)
    {
        ClearReminder(name);
        await WriteStateAsync();
    }

    public Task<IReadOnlyList<FiredReminder>> GetFiredAsync() => Task.FromResult<IReadOnlyList<FiredReminder>>(State.Fired);

    public async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        Deliveries.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        if (FailuresToThrow.TryGetValue(GetPrimaryKeyString(), out var left) && left > 0)
        {
            FailuresToThrow[GetPrimaryKeyString()] = left - 1;
            throw new InvalidOperationException($"Injected handler failure, {left - 1} left.");
        }

        State.Fired.Add(new FiredReminder(name, dueAt, TimeProvider.GetUtcNow()));
        await WriteStateAsync();
    }
}
