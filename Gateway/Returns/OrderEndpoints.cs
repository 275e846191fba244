using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OzonActors.Gateway.Api;
using OzonActors.Gateway.Auth;
using OzonActors.OzonId;
using OzonActors.Returns;

namespace OzonActors.Gateway.Returns;

/// <summary>What the marketplace delivered (internal), and moderators' pre-moderation of sellers.</summary>
public static class OrderEndpoints
{
    /// <summary>The answer to a recorded order: false when it was a replay.</summary>
    public sealed record OrderRecorded(string OrderId, bool Recorded);

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var internalApi = app.MapGroup("/api/internal/orders").WithTags("Internal").RequireAuthorization(Policies.Internal);
        internalApi.MapPost("/", RecordAsync).Validates<OrderBody>().WithMetadata(new IdempotentCommandAttribute()).WithName("RecordOrder");
        internalApi.MapGet("/{orderId}", GetAsync).WithName("GetOrder");

        var moderation = app.MapGroup("/api/moderation/sellers/{sellerId:guid}/pre-moderation").WithTags("Moderation")
            .RequireAuthorization(Policies.Moderator);
        moderation.MapGet("/", GetPreModerationAsync).WithName("GetPreModeration");
        moderation.MapPut("/", SetPreModerationAsync).Validates<PreModerationBody>().WithName("SetPreModeration");
        return app;
    }

    /// <summary>Idempotent by order id: a replay answers 202 with <c>recorded: false</c>; other content under the same id is a 409.</summary>
    private static async Task<Accepted<OrderRecorded>> RecordAsync(OrderBody body, IGrainFactory grains)
    {
        var recorded = await grains.GetGrain<IOrderGrain>(body.OrderId!).RecordAsync(body.ToOrder());
        return TypedResults.Accepted($"/api/internal/orders/{body.OrderId}", new OrderRecorded(body.OrderId!, recorded));
    }

    private static async Task<Ok<OrderView>> GetAsync(string orderId, IGrainFactory grains)
    {
        var order = orderId.Length <= 64 ? await grains.GetGrain<IOrderGrain>(orderId).FindAsync() : null;
        return TypedResults.Ok(order ?? throw DomainException.NotFound("order-not-found", $"No order '{orderId}' was recorded."));
    }

    private static async Task<Ok<SellerReturnSettings>> GetPreModerationAsync(Guid sellerId, IGrainFactory grains)
    {
        await RequireSellerAsync(sellerId, grains);
        return TypedResults.Ok(await grains.GetGrain<ISellerReturnSettingsGrain>(sellerId).GetAsync());
    }

    private static async Task<Ok<SellerReturnSettings>> SetPreModerationAsync(
        Guid sellerId, PreModerationBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        await RequireSellerAsync(sellerId, grains);
        return TypedResults.Ok(await grains.GetGrain<ISellerReturnSettingsGrain>(sellerId).SetPreModeratedAsync(body.Enabled!.Value, user.GetCaller().OzonId));
    }

    /// <summary>A seller is a company: a mistyped id is a 404, not a setting stored for a seller that does not exist.</summary>
    private static Task RequireSellerAsync(Guid sellerId, IGrainFactory grains) => grains.GetGrain<ICompanyGrain>(sellerId).GetAsync();
}
