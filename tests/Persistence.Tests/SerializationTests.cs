using Microsoft.Extensions.DependencyInjection;
using OzonActors.Persistence.Storage;
using OzonActors.Persistence.Tests.Grains;

namespace OzonActors.Persistence.Tests;

/// <summary>What <c>AddOzonSerialization</c> promises for calls between client and silo.</summary>
public sealed class SerializationTests
{
    [Fact]
    public async Task A_record_of_this_service_crosses_a_grain_call_as_json_both_ways()
    {
        await using var cluster = await Clusters.StartAsync();

        var answer = await cluster.GrainFactory.GetGrain<IGreeterGrain>("greeter").GreetAsync(new Greeting("Ann", 2));

        Assert.Equal(new Greeting("Hello, Ann!", 3), answer);
    }

    [Fact]
    public async Task A_storage_failure_reaches_the_caller_as_a_GrainStorageException()
    {
        await using var cluster = await Clusters.StartAsync(configure: o =>
            o.Services = services => services.AddSingleton<IGrainWriteInterceptor, StorageDown>());

        var exception = await Assert.ThrowsAsync<GrainStorageException>(() =>
            cluster.GrainFactory.GetGrain<ICounterGrain>("storage-down").IncrementAsync());

        Assert.Equal("Injected storage failure.", exception.Message);
    }

    private sealed class StorageDown : IGrainWriteInterceptor
    {
        public ValueTask BeforeCommitAsync(GrainWrite write, CancellationToken cancellationToken) =>
            throw new GrainStorageException("Injected storage failure.");
    }
}
