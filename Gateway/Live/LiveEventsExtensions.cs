using System.Text.Json;
using System.Text.Json.Serialization;
using OzonActors.Gateway.Live;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Live events over SignalR: the hub, its JSON shape, and the one event reader of this process.</summary>
public static class LiveEventsExtensions
{
    public static WebApplicationBuilder AddLiveEvents(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSignalR().AddJsonProtocol(o =>
        {
            o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<LiveEventDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveEventDispatcher>());
        services.AddHealthChecks().AddCheck<LiveEventsHealthCheck>("live-events", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapLiveEvents(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // An access token lives minutes; a connection could live for days. Closing it when the token expires makes
        // the client reconnect with a fresh token (and resume), so a revoked session stops receiving events.
        app.MapHub<EventsHub>(EventsHub.Path, o => o.CloseOnAuthenticationExpiration = true);
        return app;
    }
}
