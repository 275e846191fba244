using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OzonActors.Grains.OzonId;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Ozon ID program: options and the code sender its grains use.</summary>
public static class OzonIdServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddOzonId(this IHostApplicationBuilder builder)
    {
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<OzonIdOptions>()
            .Bind(builder.Configuration.GetSection(OzonIdOptions.Section))
            .PostConfigure(o => o.Sms.Provider ??= isDevelopment ? SmsOptions.DevProvider : null)
            .Validate(o => o.Sms.Provider is SmsOptions.DevProvider or SmsOptions.HttpProvider,
                "OzonId:Sms:Provider must be 'Dev' or 'Http' (it defaults to 'Dev' only in Development).")
            .Validate(o => o.Sms.Provider != SmsOptions.HttpProvider || o.Sms.Url is { IsAbsoluteUri: true },
                "OzonId:Sms:Url must be an absolute URL when OzonId:Sms:Provider is 'Http'.")
            .Validate(o => o.CodeLifetime > TimeSpan.Zero && o.ResendCooldown >= TimeSpan.Zero && o.MaxWrongAttempts > 0
                    && (o.PhoneCodeInterval is null || o.PhoneCodeInterval >= TimeSpan.Zero)
                    && o.MaxSendsPerPhonePerHour > 0 && o.MaxSendsPerAddressPerHour > 0,
                "OzonId:CodeLifetime, MaxWrongAttempts, MaxSendsPerPhonePerHour and MaxSendsPerAddressPerHour must be positive; ResendCooldown and PhoneCodeInterval must not be negative.")
            .ValidateOnStart();

        builder.Services.AddSingleton<DevCodeSender>();
        builder.Services.AddHttpClient<HttpCodeSender>((sp, client) =>
            client.BaseAddress = sp.GetRequiredService<IOptions<OzonIdOptions>>().Value.Sms.Url);
        builder.Services.AddSingleton<ICodeSender>(sp =>
            sp.GetRequiredService<IOptions<OzonIdOptions>>().Value.Sms.Provider == SmsOptions.HttpProvider
                ? sp.GetRequiredService<HttpCodeSender>()
                : sp.GetRequiredService<DevCodeSender>());
        return builder;
    }
}
