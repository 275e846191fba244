using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using OzonActors.Grains.Referral;
using OzonActors.Grains.Returns;
using OzonActors.Grains.StarProducts;
using OzonActors.Persistence.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes a host a silo: the grain runtime with the marketplace's grains.</summary>
public static class SiloHostingExtensions
{
    /// <summary>
    /// Makes the host an Orleans silo of this service: clustering and endpoints from the <c>Orleans</c> section, the
    /// <c>[DurableState]</c> facet, deadlines as reminders, and every OzonActors grain with its options.
    /// </summary>
    public static IHostApplicationBuilder AddOzonSilo(this IHostApplicationBuilder builder)
    {
        builder.UseOrleans(silo => silo.UseOzonClustering(builder.Configuration).AddOzonGrains(builder.Configuration).AddOzonTelemetry());
        builder.AddOzonTelemetry();
        return builder;
    }

    /// <summary>The grain side of a silo (without clustering, which a test cluster brings): the facet, reminders and the grains' options.</summary>
    public static ISiloBuilder AddOzonGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.AddOzonGrainRuntime(configuration);
        silo.Services.AddOzonGrainOptions(configuration);
        return silo;
    }

    /// <summary>The options the marketplace's grains read (<c>Returns</c>, <c>StarProducts</c>, <c>Referral</c>) and the production calendar, bound and validated at start.</summary>
    public static IServiceCollection AddOzonGrainOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReturnsOptions>().Bind(configuration.GetSection(ReturnsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReturnsOptions>, ReturnsOptionsValidator>());
        services.AddOptions<StarProductsOptions>().Bind(configuration.GetSection(StarProductsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StarProductsOptions>, StarProductsOptionsValidator>());
        services.AddOptions<ReferralOptions>().Bind(configuration.GetSection(ReferralOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReferralOptions>, ReferralOptionsValidator>());
        services.TryAddSingleton<ProductionCalendar>();
        return services;
    }
}
