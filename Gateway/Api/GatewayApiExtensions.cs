using System.Text.Json.Serialization;
using OzonActors.Gateway.Api;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The HTTP plumbing every endpoint shares: JSON, ProblemDetails, OpenAPI.</summary>
public static class GatewayApiExtensions
{
    public static WebApplicationBuilder AddGatewayApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Kestrel refuses a request line over its limit with an empty 414; above ours (MaxUrlLength) the pipeline
        // answers it as ProblemDetails instead.
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestLineSize = 64 * 1024);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            o.SerializerOptions.Converters.Add(new StrictInstantConverter());
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;

            // A number is a JSON number: "5" is a string, not five.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
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

            // The bare status pages (a policy's 401 or 403, an unknown path) say what to do.
            context.ProblemDetails.Detail ??= status switch
            {
                StatusCodes.Status401Unauthorized => "Log in first: send a valid access token (Authorization: Bearer …).",
                StatusCodes.Status403Forbidden => "Your token does not allow this: it needs another role, company or login.",
                StatusCodes.Status404NotFound => "There is nothing at this address.",
                StatusCodes.Status405MethodNotAllowed => "This address does not take this method.",
                _ => null,
            };
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi();
        return builder;
    }

    /// <summary>The longest path and query the gateway takes (no endpoint needs a tenth of it).</summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Error handling, auth, static pages, in the order they must run.</summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if ((context.Request.Path.Value?.Length ?? 0) + (context.Request.QueryString.Value?.Length ?? 0) > MaxUrlLength)
            {
                context.Response.StatusCode = StatusCodes.Status414UriTooLong;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status414UriTooLong, Detail = $"The address is longer than {MaxUrlLength} characters." },
                });
                return;
            }

            await next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<ClusterRetryMiddleware>();
        app.UseMiddleware<OzonActors.Gateway.Auth.LiveSessionMiddleware>();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
