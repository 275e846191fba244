using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OzonActors.Gateway.Api;
using OzonActors.Gateway.Auth;
using OzonActors.Gateway.Returns;
using OzonActors.Referral;

namespace OzonActors.Gateway.Referral;

/// <summary>Referral rewards: the manager's own figures and ledger, and the marketplace's order and earning feeds.</summary>
public static class ReferralEndpoints
{
    public const long MaxPoints = 100_000_000;

    public sealed record WithdrawBody(long? Points, string? RequestId) : IValidatedRequest
    {
        public void Validate(RequestErrors errors)
        {
            PositivePoints(errors, Points);

            if (RequestId is not null)
            {
                ReturnFields.Id(errors, "requestId", RequestId);
            }
        }
    }

    public sealed record ReferralItemBody(decimal? Amount, ReferralItemKind? Kind);

    public sealed record ReferralOrderBody(
        string? OrderId, Guid? ManagerId, ReferralOrderStatus? Status, DateTimeOffset? At, IReadOnlyList<ReferralItemBody?>? Items,
        decimal? DeliveryCost, decimal? PointsUsed, decimal? BonusesUsed, bool? LegalEntity) : IValidatedRequest
    {
        public void Validate(RequestErrors errors)
        {
            ReturnFields.Id(errors, "orderId", OrderId);
            errors.Required("managerId", ManagerId);
            errors.Required("status", Status);
            errors.Required("at", At);
            if (Items is not { Count: > 0 and <= OrderBody.MaxLines })
            {
                errors.Add("items", $"'items' must hold 1 to {OrderBody.MaxLines} items.");
            }
            else
            {
                for (var i = 0; i < Items.Count; i++)
                {
                    ReturnFields.Money(errors, $"items[{i}].amount", Items[i]?.Amount, 0m, OrderLineBody.MaxPrice);
                    errors.Required($"items[{i}].kind", Items[i]?.Kind);
                }
            }

            foreach (var (name, value) in new[] { ("deliveryCost", DeliveryCost), ("pointsUsed", PointsUsed), ("bonusesUsed", BonusesUsed) })
            {
                if (value is not null)
                {
                    ReturnFields.Money(errors, name, value, 0m, OrderLineBody.MaxPrice);
                }
            }
        }

        public ReferralOrderEvent ToEvent() => new(OrderId!, ManagerId!.Value, Status!.Value, At!.Value.ToUniversalTime(),
            [.. Items!.Select(i => new ReferralOrderItem(i!.Amount!.Value, i.Kind!.Value))], DeliveryCost ?? 0, PointsUsed ?? 0, BonusesUsed ?? 0,
            LegalEntity ?? false);
    }

    public sealed record EarningBody(string? EarningId, Guid? ManagerId, long? Points, DateTimeOffset? At) : IValidatedRequest
    {
        public void Validate(RequestErrors errors)
        {
            ReturnFields.Id(errors, "earningId", EarningId);
            errors.Required("managerId", ManagerId);
            PositivePoints(errors, Points);

            errors.Required("at", At);
        }
    }

    public sealed record SpendBody(Guid? ManagerId, long? Points, string? OrderId) : IValidatedRequest
    {
        public void Validate(RequestErrors errors)
        {
            errors.Required("managerId", ManagerId);
            PositivePoints(errors, Points);

            ReturnFields.Id(errors, "orderId", OrderId);
        }
    }

    public sealed record CorrectionBody(Guid? ManagerId, string? CorrectionId, long? Points, string? Note) : IValidatedRequest
    {
        public void Validate(RequestErrors errors)
        {
            errors.Required("managerId", ManagerId);
            ReturnFields.Id(errors, "correctionId", CorrectionId);
            if (errors.Required("points", Points) && (Points == 0 || Math.Abs(Points!.Value) > MaxPoints))
            {
                errors.Add("points", $"'points' must be non-zero and at most {MaxPoints} either way.");
            }

            errors.Text("note", Note, 500);
        }
    }

    /// <summary>A whole number of points between 1 and <see cref="MaxPoints"/>.</summary>
    private static void PositivePoints(RequestErrors errors, long? points)
    {
        if (errors.Required("points", points) && points is < 1 or > MaxPoints)
        {
            errors.Add("points", $"'points' must be between 1 and {MaxPoints}.");
        }
    }

    public static IEndpointRouteBuilder MapReferralApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/referral/me").WithTags("Referral rewards").RequireAuthorization(Policies.Person);
        me.MapGet("/", (ClaimsPrincipal user, IGrainFactory grains) => Manager(user, grains).GetAsync()).WithName("GetReferral");
        me.MapGet("/ledger", (ClaimsPrincipal user, IGrainFactory grains) => Manager(user, grains).GetLedgerAsync()).WithName("GetReferralLedger");
        me.MapGet("/settlements", (ClaimsPrincipal user, IGrainFactory grains) => Manager(user, grains).GetSettlementsAsync())
            .WithName("GetReferralSettlements");
        me.MapPost("/withdraw", (WithdrawBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            Manager(user, grains).DebitAsync(LedgerEntryKind.Withdrawn, body.Points!.Value, body.RequestId ?? Guid.NewGuid().ToString("N")))
            .Validates<WithdrawBody>().IdempotentWhen<WithdrawBody>(b => !string.IsNullOrEmpty(b.RequestId)).WithName("WithdrawReferralPoints");

        var feeds = app.MapGroup("/api/internal/referral").WithTags("Internal").RequireAuthorization(Policies.Internal);
        feeds.MapPost("/orders", async (ReferralOrderBody body, IGrainFactory grains, [FromKeyedServices(BusinessClock.Key)] TimeProvider time) =>
        {
            Instants.EnsureNotFuture(body.At!.Value, time);
            return TypedResults.Accepted((string?)null, await grains.GetGrain<IReferralManagerGrain>(body.ManagerId!.Value).RecordOrderAsync(body.ToEvent()));
        }).Validates<ReferralOrderBody>().WithMetadata(new IdempotentCommandAttribute()).WithName("RecordReferralOrder");
        feeds.MapPost("/earnings", async (EarningBody body, IGrainFactory grains, [FromKeyedServices(BusinessClock.Key)] TimeProvider time) =>
        {
            Instants.EnsureNotFuture(body.At!.Value, time);
            return TypedResults.Accepted((string?)null, await grains.GetGrain<IReferralManagerGrain>(body.ManagerId!.Value)
                .RecordEarningAsync(new ReferralEarning(body.EarningId!, body.ManagerId.Value, body.Points!.Value, body.At.Value.ToUniversalTime())));
        }).Validates<EarningBody>().WithMetadata(new IdempotentCommandAttribute()).WithName("RecordReferralEarning");
        feeds.MapPost("/spend", (SpendBody body, IGrainFactory grains) => grains.GetGrain<IReferralManagerGrain>(body.ManagerId!.Value)
            .DebitAsync(LedgerEntryKind.Spent, body.Points!.Value, body.OrderId!)).Validates<SpendBody>().WithMetadata(new IdempotentCommandAttribute()).WithName("SpendReferralPoints");
        feeds.MapPost("/corrections", (CorrectionBody body, IGrainFactory grains) => grains.GetGrain<IReferralManagerGrain>(body.ManagerId!.Value)
            .CorrectAsync(body.CorrectionId!, body.Points!.Value, body.Note!)).Validates<CorrectionBody>().WithMetadata(new IdempotentCommandAttribute()).WithName("CorrectReferralPoints");
        return app;
    }

    private static IReferralManagerGrain Manager(ClaimsPrincipal user, IGrainFactory grains) =>
        grains.GetGrain<IReferralManagerGrain>(user.GetCaller().OzonId);

}
