using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Support;

/// <summary>The gateway in process, on the embedded default, with a clock the test moves.</summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    public const string ModeratorPhone = "79990000001";

    private readonly Dictionary<string, string?> _settings = new()
    {
        ["OzonId:MaxSendsPerAddressPerHour"] = "100000",

        // Every in-process request comes from one address; the per-address password limit has tests of its own.
        ["OzonId:MaxPasswordFailuresPerSourcePerHour"] = "100000",

        // Tests log one phone in again at once (another device, a page after the API); the cooldown has tests of its own.
        ["OzonId:PhoneCodeInterval"] = "00:00:00",
        ["OzonId:Moderators:0"] = "+7 999 000-00-01",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <param name="settings">Configuration keys on top of the test defaults.</param>
    /// <param name="start">Where the fake clock starts (default: now), for tests of calendar dates.</param>
    public GatewayFactory(IReadOnlyDictionary<string, string?>? settings = null, DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? DateTimeOffset.UtcNow);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public FakeTimeProvider Time { get; }

    /// <summary>Extra services, e.g. an <c>IGrainWriteInterceptor</c> that injects a fault.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    public ApiClient CreateApi() => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, Time);
            services.AddTransient<IStartupFilter, TestClientAddress>();
            ExtraServices?.Invoke(services);
        });
    }

    /// <summary>The in-process server has no remote address: a test names one with <see cref="Header"/>.</summary>
    public sealed class TestClientAddress : IStartupFilter
    {
        public const string Header = "X-Test-Client-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, call) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var address))
                {
                    context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address.ToString());
                }

                return call(context);
            });
            next(app);
        };
    }
}
