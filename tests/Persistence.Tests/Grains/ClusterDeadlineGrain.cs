using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Facet;

namespace OzonActors.Persistence.Tests.Grains;

public sealed class ClusterDeadlineState
{
    public string ScheduledOn { get; set; } = "";

    public string? HandledOn { get; set; }
}

public interface IClusterDeadlineGrain : IGrainWithStringKey
{
    /// <summary>Sets the deadline <c>wake</c>; answers the silo this activation runs on.</summary>
    Task<string> ScheduleAsync(DateTimeOffset dueAt);
}

/// <summary>
/// A deadline across silos: activated where it is first called, it records the silo that handles its deadline. A silo
/// listed in <see cref="RefusingSilos"/> fails the handler (the deadline stays and its reminder ticks again), so a test
/// decides which silos may handle it without racing the clock.
/// </summary>
[GrainType("test-cluster-deadline")]
[Orleans.Placement.PreferLocalPlacement]
public sealed class ClusterDeadlineGrain(
    [DurableState("test-cluster-deadline")] IDurableState<ClusterDeadlineState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time, ILocalSiloDetails silo)
    : DurableGrain<ClusterDeadlineState>(state, time), IClusterDeadlineGrain
{
    public static ConcurrentDictionary<string, bool> RefusingSilos { get; } = new();

    public async Task<string> ScheduleAsync(DateTimeOffset dueAt)
    {
        State.ScheduledOn = silo.SiloAddress.ToString();
        SetReminder("wake", dueAt);
        await WriteStateAsync();
        return State.ScheduledOn;
    }

    protected override async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        if (RefusingSilos.ContainsKey(silo.SiloAddress.ToString()))
        {
            throw new InvalidOperationException($"Silo {silo.SiloAddress} does not handle deadlines in this test.");
        }

        State.HandledOn = silo.SiloAddress.ToString();
        await WriteStateAsync();
    }
}
