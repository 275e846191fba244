using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OzonActors.Gateway.Api;
using OzonActors.Gateway.Auth;
using OzonActors.Returns;

namespace OzonActors.Gateway.Returns;

/// <summary>
/// One return request: creating it and every action on it. The role an action is taken in comes from the token: a
/// token scoped to a company acts as that seller; a moderator's unscoped token as a moderator on the decision side.
/// </summary>
public static class ReturnEndpoints
{
    public static IEndpointRouteBuilder MapReturnsApi(this IEndpointRouteBuilder app)
    {
        var returns = app.MapGroup("/api/returns").WithTags("Returns").RequireAuthorization(Policies.Customer);
        returns.MapPost("/", CreateAsync).Validates<CreateReturnBody>().WithName("CreateReturn");
        returns.MapGet("/{id:guid}", GetAsync).WithName("GetReturn");

        // the customer
        returns.MapPost("/{id:guid}/cancel", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.Cancel, AsCustomer(user)))).WithName("CancelReturn");
        returns.MapPost("/{id:guid}/accept-compensation", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.AcceptCompensation, AsCustomer(user)))).WithName("AcceptCompensation");
        returns.MapPost("/{id:guid}/refuse-compensation", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.RefuseCompensation, AsCustomer(user)))).WithName("RefuseCompensation");
        returns.MapPost("/{id:guid}/ship", (Guid id, ShipBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.Ship, AsCustomer(user)) { TrackingNumber = body.TrackingNumber!.Trim() }))
            .Validates<ShipBody>().WithName("ShipReturn");
        returns.MapPost("/{id:guid}/dispute", (Guid id, DisputeBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.OpenDispute, AsCustomer(user)) { Topic = body?.Topic?.Trim() }))
            .ValidatesOptional<DisputeBody>().WithName("OpenDispute");

        // the decision side: the seller, or a moderator for a pre-moderated seller
        returns.MapPost("/{id:guid}/approve", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.Approve, AsDecider(user)))).WithName("ApproveReturn");
        returns.MapPost("/{id:guid}/reject", (Guid id, RejectBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.Reject, AsDecider(user))
            {
                Reason = body.Reason, RequireServiceCenterConclusion = body.RequireServiceCenterConclusion ?? false,
            })).Validates<RejectBody>().WithName("RejectReturn");
        returns.MapPost("/{id:guid}/offer-compensation", (Guid id, OfferBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.OfferCompensation, AsDecider(user)) { Amount = body.Amount }))
            .Validates<OfferBody>().WithName("OfferCompensation");
        returns.MapPost("/{id:guid}/messages", (Guid id, MessageBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.Message, AsDecider(user)) { Text = body.Text }))
            .Validates<MessageBody>().WithName("PostReturnMessage");

        // the seller, once the parcel is back
        returns.MapPost("/{id:guid}/received", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.ConfirmReceived, AsSeller(user)))).WithName("ConfirmReturnReceived");
        returns.MapPost("/{id:guid}/refund", (Guid id, RefundBody? body, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.Refund, AsSeller(user)) { DeliveryCost = body?.DeliveryCost }))
            .ValidatesOptional<RefundBody>().WithName("RefundReturn");
        returns.MapPost("/{id:guid}/reject-refund", (Guid id, RejectRefundBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.RejectRefund, AsSeller(user)) { Reason = body.Reason }))
            .Validates<RejectRefundBody>().WithName("RejectRefund");

        // the seller, while a dispute is open: the answer that keeps the decision with moderators (RULES §1)
        returns.MapPost("/{id:guid}/dispute-reply", (Guid id, DisputeReplyBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.ReplyToDispute, AsSeller(user)) { Text = body.Text }))
            .Validates<DisputeReplyBody>().WithName("ReplyToDispute");

        // moderators
        app.MapPost("/api/returns/{id:guid}/dispute-decision", (Guid id, DisputeDecisionBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            ActAsync(grains, id, new ReturnCommand(ReturnAction.DecideDispute, ReturnActor.Moderator(user.GetCaller().OzonId))
            {
                InFavorOf = body.InFavorOf,
            })).Validates<DisputeDecisionBody>().RequireAuthorization(Policies.Moderator).WithTags("Returns").WithName("DecideDispute");
        return app;
    }

    private static async Task<Created<ReturnRequestView>> CreateAsync(CreateReturnBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var id = Guid.NewGuid();
        var view = await grains.GetGrain<IReturnRequestGrain>(id).CreateAsync(user.GetCaller().RequirePerson().OzonId, body.ToCommand());
        return TypedResults.Created($"/api/returns/{id}", view);
    }

    private static async Task<Ok<ReturnRequestView>> GetAsync(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IReturnRequestGrain>(id).GetAsync(AsDecider(user)));

    private static async Task<Ok<ReturnRequestView>> ActAsync(IGrainFactory grains, Guid id, ReturnCommand command) =>
        TypedResults.Ok(await grains.GetGrain<IReturnRequestGrain>(id).ActAsync(command));

    private static ReturnActor AsCustomer(ClaimsPrincipal user) => ReturnActor.Customer(user.GetCaller().RequirePerson().OzonId);

    private static ReturnActor AsSeller(ClaimsPrincipal user)
    {
        var (companyId, accountId, _) = user.GetCaller().RequireSeller();
        return ReturnActor.Seller(companyId, accountId);
    }

    /// <summary>A company-scoped token is the seller; otherwise a moderator, otherwise the customer.</summary>
    private static ReturnActor AsDecider(ClaimsPrincipal user)
    {
        var caller = user.GetCaller();
        return caller is { CompanyId: { } companyId, AccountId: { } accountId } ? ReturnActor.Seller(companyId, accountId)
            : caller.IsModerator ? ReturnActor.Moderator(caller.OzonId)
            : ReturnActor.Customer(caller.OzonId);
    }
}
