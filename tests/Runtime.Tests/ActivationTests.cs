using OzonActors.Persistence.Activation;
using OzonActors.Persistence.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace OzonActors.Persistence.Tests;

public sealed class ActivationTests
{
    [Fact]
    public async Task A_grain_is_activated_once_on_its_first_call()
    {
        await using var cluster = await Clusters.StartAsync();
        var grain = cluster.GrainFactory.GetGrain<IBehaviourGrain>("activated-once");
        Assert.False(BehaviourGrain.Activations.ContainsKey("activated-once"));

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => grain.GreetAsync(new Greeting("x", 1))));

        Assert.Equal(1, BehaviourGrain.Activations["activated-once"]);
    }

    [Fact]
    public async Task An_interface_without_a_grain_class_is_a_clear_error()
    {
        await using var cluster = await Clusters.StartAsync();

        var exception = Assert.Throws<ArgumentException>(() => cluster.GrainFactory.GetGrain<IOrphanGrain>("x"));

        Assert.Contains("No grain class implements", exception.Message);
        Assert.Contains(nameof(IOrphanGrain), exception.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\there")]
    public async Task A_bad_string_key_is_a_clear_error(string key)
    {
        await using var cluster = await Clusters.StartAsync();

        var exception = Assert.Throws<ArgumentException>(() => cluster.GrainFactory.GetGrain<ICounterGrain>(key));

        Assert.Equal("key", exception.ParamName);
    }

    [Fact]
    public async Task Over_long_keys_and_empty_guids_are_rejected()
    {
        await using var cluster = await Clusters.StartAsync();

        Assert.Throws<ArgumentException>(() => cluster.GrainFactory.GetGrain<ICounterGrain>(new string('k', 513)));
        Assert.Throws<ArgumentException>(() => cluster.GrainFactory.GetGrain<IGuidGrain>(Guid.Empty));
        var key = Guid.NewGuid();
        Assert.Equal(key, await cluster.GrainFactory.GetGrain<IGuidGrain>(key).GetKeyAsync());
    }

    [Fact]
    public async Task A_serialized_call_runs_and_an_unknown_method_is_a_clear_error()
    {
        await using var cluster = await Clusters.StartAsync();
        var codec = cluster.Services.GetRequiredService<GrainCallCodec>();
        var registry = cluster.Services.GetRequiredService<GrainTypeRegistry>();
        var greet = registry.GetInterface(typeof(IBehaviourGrain)).ByName[nameof(IBehaviourGrain.GreetAsync)];
        var json = GrainCallCodec.Serialize(new GrainCall(new GrainId("test-behaviour", "wire"), greet, [new Greeting("Bo", 1)]));

        Assert.Equal("\"Hello, Bo!\"", await codec.InvokeAsync(json));

        var unknown = json.Replace("GreetAsync", "VanishAsync", StringComparison.Ordinal);
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => codec.InvokeAsync(unknown));
        Assert.Contains("has no method 'VanishAsync'", exception.Message);

        var badKey = json.Replace("\"wire\"", "\"\"", StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => codec.InvokeAsync(badKey));
        var badArgument = json.Replace("\"times\":1", "\"times\":\"many\"", StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => codec.InvokeAsync(badArgument));
    }

    [Fact]
    public async Task Idle_activations_are_collected_and_their_memory_released()
    {
        await using var cluster = await Clusters.StartAsync(configure: o =>
        {
            o.Configuration["Runtime:CollectionAge"] = "00:15:00";
            o.Configuration["Runtime:CollectionQuantum"] = "00:01:00";
        });
        await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(i => cluster.GrainFactory.GetGrain<IPayloadGrain>($"payload-{i}").StoreAsync(50_000)));
        await cluster.GrainFactory.GetGrain<IBehaviourGrain>("collected").GreetAsync(new Greeting("x", 1));
        Assert.Equal(201, cluster.ActivationCount);

        await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(201, cluster.ActivationCount);
        await cluster.AdvanceTimeAsync(TimeSpan.FromMinutes(6));

        Assert.Equal(0, cluster.ActivationCount);
        Assert.Equal(1, BehaviourGrain.Deactivations["collected"]);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.DoesNotContain(PayloadGrain.Instances, reference => reference.IsAlive);
    }

    [Fact]
    public async Task A_grain_that_asks_to_leave_is_deactivated_and_reactivated_on_the_next_call()
    {
        await using var cluster = await Clusters.StartAsync();
        var grain = cluster.GrainFactory.GetGrain<IBehaviourGrain>("leaver");

        await grain.LeaveAsync();
        await WaitUntilAsync(() => BehaviourGrain.Deactivations.ContainsKey("leaver"));
        await grain.GreetAsync(new Greeting("again", 1));

        Assert.Equal(2, BehaviourGrain.Activations["leaver"]);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
