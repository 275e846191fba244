using System.Collections.Concurrent;

namespace OzonActors.Persistence.Tests.Grains;

public sealed class CustomerFacingException(string code) : Exception($"Rule broken: {code}")
{
    public string Code { get; } = code;
}

public sealed record Greeting(string Name, int Times);

public interface IBehaviourGrain : IGrainWithStringKey
{
    Task ThrowAsync(string code);

    Task SleepAsync(int milliseconds);

    Task<string> GreetAsync(Greeting greeting);

    Task<int> AskCounterAsync(string counterKey);

    Task LeaveAsync();
}

/// <summary>Throws, sleeps, calls other grains and records its lifecycle.</summary>
[GrainType("test-behaviour")]
public sealed class BehaviourGrain : Grain, IBehaviourGrain
{
    public static ConcurrentDictionary<string, int> Activations { get; } = new();

    public static ConcurrentDictionary<string, int> Deactivations { get; } = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Activations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Deactivations.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task ThrowAsync(string code) => throw new CustomerFacingException(code);

    public Task SleepAsync(int milliseconds) => Task.Delay(milliseconds);

    public Task<string> GreetAsync(Greeting greeting) =>
        Task.FromResult(string.Join(' ', Enumerable.Repeat($"Hello, {greeting.Name}!", greeting.Times)));

    public Task<int> AskCounterAsync(string counterKey) => GrainFactory.GetGrain<ICounterGrain>(counterKey).IncrementAsync();

    public Task LeaveAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface IGuidGrain : IGrainWithGuidKey
{
    Task<Guid> GetKeyAsync();
}

[GrainType("test-guid")]
public sealed class GuidGrain : Grain, IGuidGrain
{
    public Task<Guid> GetKeyAsync() => Task.FromResult(GetPrimaryKey());
}

/// <summary>No class implements this interface.</summary>
public interface IOrphanGrain : IGrainWithStringKey
{
    Task PingAsync();
}

public sealed class PayloadState
{
    public string Payload { get; set; } = "";
}

public interface IPayloadGrain : IGrainWithStringKey
{
    Task StoreAsync(int size);
}

/// <summary>Holds a large state; tracks its instances weakly so a test can see them collected.</summary>
[GrainType("test-payload")]
public sealed class PayloadGrain : Grain<PayloadState>, IPayloadGrain
{
    public static ConcurrentBag<WeakReference> Instances { get; } = [];

    public PayloadGrain() => Instances.Add(new WeakReference(this));

    public async Task StoreAsync(int size)
    {
        State.Payload = new string('x', size);
        await WriteStateAsync();
    }
}
