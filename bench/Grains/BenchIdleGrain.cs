using System.Globalization;
using OzonActors.Persistence.Facet;

namespace OzonActors.Bench.Grains;

/// <summary>A small state: one int and a short string.</summary>
public sealed class BenchIdleState
{
    public int Number { get; set; }

    public string Label { get; set; } = "";

    /// <summary>Builds the state's label; the memory scenario builds the same strings when it measures states alone.</summary>
    public static string LabelFor(int number) => "item-" + number.ToString("D6", CultureInfo.InvariantCulture);
}

public interface IBenchIdleGrain : IGrainWithStringKey
{
    Task TouchAsync(int number);
}

/// <summary>Activated once and left idle; its durable state (read once at activation) changes only in memory: nothing is written.</summary>
[GrainType("bench-idle")]
public sealed class BenchIdleGrain([DurableState("bench-idle")] IDurableState<BenchIdleState> state, TimeProvider time)
    : DurableGrain<BenchIdleState>(state, time), IBenchIdleGrain
{
    public Task TouchAsync(int number)
    {
        State.Number = number;
        State.Label = BenchIdleState.LabelFor(number);
        return Task.CompletedTask;
    }
}
