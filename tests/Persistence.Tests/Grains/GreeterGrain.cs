namespace OzonActors.Persistence.Tests.Grains;

/// <summary>A record of this service's namespaces: it crosses grain calls as JSON (no generated codec).</summary>
public sealed record Greeting(string Name, int Times);

public interface IGreeterGrain : IGrainWithStringKey
{
    Task<Greeting> GreetAsync(Greeting greeting);
}

[GrainType("test-greeter")]
public sealed class GreeterGrain : Grain, IGreeterGrain
{
    public Task<Greeting> GreetAsync(Greeting greeting) =>
        Task.FromResult(greeting with { Name = $"Hello, {greeting.Name}!", Times = greeting.Times + 1 });
}
