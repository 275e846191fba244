using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OzonActors.Grains.OzonId;

namespace OzonActors.Gateway.OzonId;

/// <summary>Development only (environment and provider): the messages the Dev code provider kept instead of sending.</summary>
public static class DevEndpoints
{
    public static IEndpointRouteBuilder MapDevApi(this IEndpointRouteBuilder app)
    {
        // Both conditions: a Dev provider switched on by mistake in production must not publish login codes.
        if (app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment()
            && app.ServiceProvider.GetRequiredService<IOptions<OzonIdOptions>>().Value.Sms.Provider == SmsOptions.DevProvider)
        {
            app.MapGet("/api/dev/sms", GetMessages).WithTags("Development").WithName("DevSms");
        }

        return app;
    }

    private static Results<Ok<IReadOnlyList<DevMessage>>, ValidationProblem> GetMessages(string? phone, DevCodeSender outbox) =>
        Phones.Normalize(phone) is { } normalized
            ? TypedResults.Ok(outbox.GetMessages(normalized))
            : TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["phone"] = ["'phone' must be a phone number."] },
                type: Api.ProblemTypes.For("invalid-request"));
}
