using System.Text.Json.Serialization;
using OzonActors.Gateway.Api;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The HTTP plumbing every endpoint shares: JSON, ProblemDetails, OpenAPI.</summary>
public static class GatewayApiExtensions
{
    public static WebApplicationBuilder AddGatewayApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        });

        // Bad input throws BadHttpRequestException, which the exception handler answers as ProblemDetails.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            if (context.ProblemDetails.Type is null || context.ProblemDetails.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
            {
                context.ProblemDetails.Type = ProblemTypes.ForStatus(status);
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi();
        return builder;
    }

    /// <summary>Error handling, auth, static pages, in the order they must run.</summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<ClusterRetryMiddleware>();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
