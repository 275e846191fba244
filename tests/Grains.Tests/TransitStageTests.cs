using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>RULES §1, "Transit stage": the day-15 window, the day-31 dispute and a transit dispute waiting for arrival.</summary>
public sealed class TransitStageTests : ReturnsTest
{
    [Fact]
    public Task The_seller_confirming_receipt_of_a_parcel_on_the_way_starts_the_receipt_stage() =>
        ActionLeadsToAsync(Spot.ReturnOnTheWay, ReturnAction.ConfirmReceived, ReturnStatus.ReceivedBySeller);

    [Fact]
    public async Task The_customer_may_open_a_where_is_the_refund_dispute_from_day_15_in_transit_and_not_before()
    {
        var request = await Returns.IntoAsync(Spot.ReturnOnTheWay);
        var shippedAt = request.ShippedAt!.Value;
        Assert.DoesNotContain(ReturnAction.OpenDispute, request.AllowedActions[ReturnActorRole.Customer]);

        await Returns.AdvanceToAsync(shippedAt + TimeSpan.FromDays(14) - Second);
        var early = await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "dispute-not-yet",
            () => Returns.ActAsync(request.Id, ReturnAction.OpenDispute));
        Assert.Contains($"{shippedAt + TimeSpan.FromDays(14):u}", early.Message, StringComparison.Ordinal);
        Assert.Equal(ReturnStatus.ReturnOnTheWay, (await Returns.GetAsync(request.Id)).Status);

        await Returns.AdvanceAsync(Second);
        Assert.Contains(ReturnAction.OpenDispute, (await Returns.GetAsync(request.Id)).AllowedActions[ReturnActorRole.Customer]);
        var disputed = await Returns.ActAsync(request.Id, ReturnAction.OpenDispute);

        Assert.Equal((ReturnStatus.DisputeOpened, DisputeStage.Transit), (disputed.Status, disputed.DisputeStage));
        Assert.Equal((DisputeStage.Transit, "I disagree", Returns.Now, ReturnActorRole.Customer, (DisputeSide?)null),
            (disputed.Dispute!.Stage, disputed.Dispute.Topic, disputed.Dispute.OpenedAt, disputed.Dispute.OpenedBy, disputed.Dispute.DecidedFor));
        Assert.Equal((ReturnActorRole.Moderator, (DateTimeOffset?)null), (disputed.NextActor, disputed.DueAt));
    }

    [Fact]
    public async Task After_31_days_in_transit_the_system_opens_the_dispute_itself()
    {
        var disputed = await TimeoutLeadsToAsync(Spot.ReturnOnTheWay, TimeSpan.FromDays(31), ReturnStatus.DisputeOpened, DisputeStage.Transit);

        Assert.Equal((DisputeStage.Transit, "Where is the refund", ReturnActorRole.System),
            (disputed.Dispute!.Stage, disputed.Dispute.Topic, disputed.Dispute.OpenedBy));
        Assert.Equal((ReturnActorRole.Moderator, (DateTimeOffset?)null), (disputed.NextActor, disputed.DueAt));
    }

    [Fact]
    public async Task A_transit_dispute_has_no_deadline_while_the_parcel_is_still_travelling()
    {
        var request = await Returns.IntoAsync(Spot.TransitDispute);
        Assert.Null(request.DueAt);

        await Returns.AdvanceAsync(TimeSpan.FromDays(60));

        var still = await Returns.GetAsync(request.Id);
        Assert.Equal((ReturnStatus.DisputeOpened, DisputeStage.Transit, ReturnActorRole.Moderator), (still.Status, still.DisputeStage, still.NextActor));
        Assert.DoesNotContain(still.History, e => e.Action == "Timeout");
    }

    [Fact]
    public async Task A_moderator_may_decide_a_transit_dispute_for_the_customer_before_the_parcel_arrives()
    {
        var refunded = await ActionLeadsToAsync(Spot.TransitDispute, ReturnAction.DecideDispute, ReturnStatus.Refund, side: DisputeSide.Customer);

        Assert.Equal(new ReturnRefund(ReturnsHarness.SellerPrice, 0, ReturnsHarness.SellerPrice, "Refund"), refunded.Refund);
        Assert.Equal(DisputeSide.Customer, refunded.Dispute!.DecidedFor);
    }

    [Fact]
    public async Task A_decision_for_the_seller_waits_for_the_parcel_to_arrive_then_the_moderator_deadline_runs_from_arrival()
    {
        var request = await Returns.IntoAsync(Spot.TransitDispute);
        await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "dispute-awaits-arrival",
            () => Returns.DecideAsync(request.Id, DisputeSide.Seller));

        await Returns.AdvanceAsync(TimeSpan.FromDays(2));
        var arrivedAt = Returns.Now;
        var arrived = await Returns.ActAsync(request.Id, ReturnAction.ConfirmReceived);

        Assert.Equal((ReturnStatus.DisputeOpened, DisputeStage.Transit), (arrived.Status, arrived.DisputeStage));
        Assert.Equal((arrivedAt, arrivedAt + TimeSpan.FromDays(3)), (arrived.ReceivedAt, arrived.DueAt));
        Assert.Equal(request.History.Count, arrived.History.Count);
        await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "invalid-transition",
            () => Returns.ActAsync(request.Id, ReturnAction.ConfirmReceived));

        var rejected = await Returns.DecideAsync(request.Id, DisputeSide.Seller);
        Assert.Equal((ReturnStatus.RejectedByOzon, DisputeSide.Seller), (rejected.Status, rejected.Dispute!.DecidedFor));
    }

    [Fact]
    public Task A_transit_dispute_left_undecided_after_arrival_is_decided_for_the_customer_with_a_refund() =>
        TimeoutLeadsToAsync(Spot.TransitDisputeArrived, TimeSpan.FromDays(3), ReturnStatus.Refund);
}
