using OzonActors.Persistence.Tests.Grains;
using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

/// <summary>Starts test clusters hosting this project's test grains.</summary>
internal static class Clusters
{
    public static Task<TestCluster> StartAsync(string? connectionString = null, Action<TestClusterOptions>? configure = null) =>
        TestCluster.StartAsync(options =>
        {
            options.ConnectionString = connectionString;
            options.Grains = grains => grains.AddGrains(typeof(CounterGrain).Assembly);
            configure?.Invoke(options);
        });
}
