namespace OzonActors.Bench.Grains;

public interface IBenchCallGrain : IGrainWithStringKey
{
    Task<int> EchoAsync(int value);
}

/// <summary>
/// A stateless grain whose one method does next to nothing, so what a call costs is the runtime's share. The
/// method never touches the runtime, so the same class also serves as the direct-call baseline.
/// </summary>
[GrainType("bench-call")]
public sealed class BenchCallGrain : Grain, IBenchCallGrain
{
    public Task<int> EchoAsync(int value) => Task.FromResult(value + 1);
}
