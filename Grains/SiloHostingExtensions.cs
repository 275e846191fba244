using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes a host a silo: the grain runtime with the marketplace's grains.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Adds the grain runtime configured from the host's configuration, hosting every OzonActors grain.</summary>
    public static IHostApplicationBuilder AddOzonSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrainRuntime(builder.Configuration, grains => grains.AddOzonGrains());
        return builder;
    }
}
