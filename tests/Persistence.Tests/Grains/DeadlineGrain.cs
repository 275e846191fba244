using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Facet;

namespace OzonActors.Persistence.Tests.Grains;

public sealed record FiredDeadline(string Name, DateTimeOffset DueAt, DateTimeOffset FiredAt);

public sealed class DeadlineState
{
    public List<FiredDeadline> Fired { get; set; } = [];

    public int Writes { get; set; }
}

public interface IDeadlineGrain : IGrainWithStringKey
{
    Task ScheduleAsync(string name, DateTimeOffset dueAt);

    /// <summary>Sets a deadline and emits an event in the same write.</summary>
    Task ScheduleWithEventAsync(string name, DateTimeOffset dueAt);

    Task CancelAsync(string name);

    Task<FiredDeadline[]> GetFiredAsync();

    /// <summary>The deadlines this activation holds as committed.</summary>
    Task<Dictionary<string, DateTimeOffset>> GetDeadlinesAsync();
}

/// <summary>
/// Records every deadline it handles. Per key (tests use unique keys), its handler can be told to fail, to write
/// nothing, or to set the same deadline again.
/// </summary>
[GrainType("test-deadline")]
public sealed class DeadlineGrain([DurableState("test-deadline")] IDurableState<DeadlineState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
    : DurableGrain<DeadlineState>(state, time), IDeadlineGrain
{
    public const string Type = "test-deadline";

    /// <summary>How many more times the handler of a key throws.</summary>
    public static ConcurrentDictionary<string, int> FailuresToThrow { get; } = new();

    /// <summary>How many times the handler of a key ran.</summary>
    public static ConcurrentDictionary<string, int> Deliveries { get; } = new();

    /// <summary>Keys whose handler writes nothing, so the facet's own write must consume the deadline.</summary>
    public static ConcurrentDictionary<string, bool> QuietHandlers { get; } = new();

    /// <summary>Keys whose handler (once) sets the same deadline again, this long after the one it handles.</summary>
    public static ConcurrentDictionary<string, TimeSpan> RearmAfter { get; } = new();

    public async Task ScheduleAsync(string name, DateTimeOffset dueAt)
    {
        SetReminder(name, dueAt);
        State.Writes++;
        await WriteStateAsync();
    }

    public async Task ScheduleWithEventAsync(string name, DateTimeOffset dueAt)
    {
        SetReminder(name, dueAt);
        Emit($"deadline:{GetPrimaryKeyString()}", "DeadlineScheduled", new FiredDeadline(name, dueAt, dueAt), "test:all");
        State.Writes++;
        await WriteStateAsync();
    }

    public async Task CancelAsync(string name)
    {
        ClearReminder(name);
        State.Writes++;
        await WriteStateAsync();
    }

    public Task<FiredDeadline[]> GetFiredAsync() => Task.FromResult(State.Fired.ToArray());

    public Task<Dictionary<string, DateTimeOffset>> GetDeadlinesAsync() =>
        Task.FromResult(new Dictionary<string, DateTimeOffset>(Deadlines));

    protected override async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        var key = GetPrimaryKeyString();
        Deliveries.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (FailuresToThrow.TryGetValue(key, out var left) && left > 0)
        {
            FailuresToThrow[key] = left - 1;
            throw new InvalidOperationException($"Injected handler failure, {left - 1} left.");
        }

        if (QuietHandlers.ContainsKey(key))
        {
            return;
        }

        State.Fired.Add(new FiredDeadline(name, dueAt, TimeProvider.GetUtcNow()));
        if (RearmAfter.TryRemove(key, out var after))
        {
            SetReminder(name, dueAt + after);
        }

        await WriteStateAsync();
    }
}
