using Microsoft.AspNetCore.Http.HttpResults;
using OzonActors.OzonId;

namespace OzonActors.Gateway.OzonId;

/// <summary>Development only (environment and provider): the messages the Dev code provider kept instead of sending.</summary>
public static class DevEndpoints
{
    public static IEndpointRouteBuilder MapDevApi(this IEndpointRouteBuilder app)
    {
        // Both conditions: a Dev provider switched on by mistake in production must not publish login codes. The
        // environment is checked here; the provider by the outbox grain, on the silo that owns the provider's options.
        if (app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            app.MapGet("/api/dev/sms", GetMessagesAsync).WithTags("Development").WithName("DevSms");
        }

        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<DevMessage>>, ValidationProblem>> GetMessagesAsync(string? phone, IGrainFactory grains) =>
        Phones.Normalize(phone) is { } normalized
            ? TypedResults.Ok(await grains.GetGrain<IDevSmsOutboxGrain>(normalized).GetMessagesAsync())
            : TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["phone"] = ["'phone' must be a phone number."] },
                type: Api.ProblemTypes.For("invalid-request"));
}
