using OzonActors.Runtime.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the marketplace's grains with a runtime.</summary>
public static class GrainsRuntimeBuilderExtensions
{
    /// <summary>Hosts every grain class of the OzonActors.Grains assembly.</summary>
    public static GrainRuntimeBuilder AddOzonGrains(this GrainRuntimeBuilder builder) =>
        builder.AddGrains(typeof(GrainsRuntimeBuilderExtensions).Assembly);
}
