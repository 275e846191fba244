using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OzonActors.Grains.Referral;
using OzonActors.Grains.Returns;
using OzonActors.Grains.StarProducts;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes a host a silo: the grain runtime with the marketplace's grains.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Adds the grain runtime configured from the host's configuration, hosting every OzonActors grain.</summary>
    public static IHostApplicationBuilder AddOzonSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrainRuntime(builder.Configuration, grains => grains.AddOzonGrains());
        builder.Services.AddOzonGrainOptions(builder.Configuration);
        return builder;
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
