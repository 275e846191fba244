using OzonActors.Testing;

namespace OzonActors.Persistence.Tests;

/// <summary>Starts test clusters; the test grains of <c>Grains/</c> are found by Orleans through this assembly's generated code.</summary>
internal static class Clusters
{
    public static Task<TestCluster> StartAsync(string? connectionString = null, Action<TestClusterOptions>? configure = null) =>
        TestCluster.StartAsync(options =>
        {
            options.ConnectionString = connectionString;
            configure?.Invoke(options);
        });
}
