using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>RULES §1, "Statuses and deadlines — request stage": every action row and every timeout row.</summary>
public sealed class RequestStageTests : ReturnsTest
{
    [Theory]
    [InlineData(Spot.New, ReturnAction.Approve, ReturnStatus.Approved)]
    [InlineData(Spot.New, ReturnAction.Reject, ReturnStatus.RejectedBySeller)]
    [InlineData(Spot.New, ReturnAction.OfferCompensation, ReturnStatus.PartialCompensationOffered)]
    [InlineData(Spot.New, ReturnAction.Message, ReturnStatus.AwaitingClarificationWithSeller)]
    [InlineData(Spot.New, ReturnAction.Cancel, ReturnStatus.CanceledByCustomer)]
    [InlineData(Spot.AwaitingClarificationWithSeller, ReturnAction.Approve, ReturnStatus.Approved)]
    [InlineData(Spot.AwaitingClarificationWithSeller, ReturnAction.Reject, ReturnStatus.RejectedBySeller)]
    [InlineData(Spot.AwaitingClarificationWithSeller, ReturnAction.OfferCompensation, ReturnStatus.PartialCompensationOffered)]
    [InlineData(Spot.AwaitingClarificationWithSeller, ReturnAction.Cancel, ReturnStatus.CanceledByCustomer)]
    [InlineData(Spot.PartialCompensationOffered, ReturnAction.AcceptCompensation, ReturnStatus.PartialCompensationApproved)]
    [InlineData(Spot.PartialCompensationOffered, ReturnAction.RefuseCompensation, ReturnStatus.AwaitingClarification)]
    [InlineData(Spot.PartialCompensationOffered, ReturnAction.Cancel, ReturnStatus.CanceledByCustomer)]
    [InlineData(Spot.AwaitingClarification, ReturnAction.OfferCompensation, ReturnStatus.PartialCompensationOffered)]
    [InlineData(Spot.AwaitingClarification, ReturnAction.Reject, ReturnStatus.RejectedBySeller)]
    [InlineData(Spot.AwaitingClarification, ReturnAction.Approve, ReturnStatus.Approved)]
    [InlineData(Spot.AwaitingClarification, ReturnAction.Cancel, ReturnStatus.CanceledByCustomer)]
    [InlineData(Spot.Approved, ReturnAction.Ship, ReturnStatus.ReturnOnTheWay)]
    [InlineData(Spot.Approved, ReturnAction.Cancel, ReturnStatus.CanceledByCustomer)]
    [InlineData(Spot.RejectedBySeller, ReturnAction.OpenDispute, ReturnStatus.DisputeOpened, DisputeStage.Request)]
    public Task An_action_leads_to_the_status_its_row_states(Spot from, ReturnAction action, ReturnStatus expected, DisputeStage? stage = null) =>
        ActionLeadsToAsync(from, action, expected, stage);

    [Theory]
    [InlineData(DisputeSide.Customer, ReturnStatus.Approved)]
    [InlineData(DisputeSide.Seller, ReturnStatus.RejectedByOzon)]
    public async Task A_moderator_decides_a_request_dispute_for_the_customer_or_the_seller(DisputeSide side, ReturnStatus expected)
    {
        var decided = await ActionLeadsToAsync(Spot.RequestDispute, ReturnAction.DecideDispute, expected, side: side);

        Assert.Equal((DisputeStage.Request, side), (decided.Dispute!.Stage, decided.Dispute.DecidedFor));
    }

    [Theory]
    [InlineData(Spot.New, 1, ReturnStatus.Approved)]
    [InlineData(Spot.AwaitingClarificationWithSeller, 3, ReturnStatus.Approved)]
    [InlineData(Spot.PartialCompensationOffered, 3, ReturnStatus.AwaitingClarification)]
    [InlineData(Spot.AwaitingClarification, 3, ReturnStatus.Approved)]
    [InlineData(Spot.Approved, 4, ReturnStatus.Overdue)]
    [InlineData(Spot.RejectedBySeller, 5, ReturnStatus.RejectedDisputeNotOpened)]
    [InlineData(Spot.RequestDispute, 3, ReturnStatus.Approved)]
    public Task A_deadline_leads_to_the_status_its_row_states(Spot from, int days, ReturnStatus expected) =>
        TimeoutLeadsToAsync(from, TimeSpan.FromDays(days), expected);

    [Fact]
    public async Task The_clarification_deadline_counts_three_days_from_creation_not_from_the_sellers_message()
    {
        var request = await Returns.NewRequestAsync();
        await Returns.AdvanceAsync(TimeSpan.FromHours(20));

        var clarifying = await Returns.ActAsync(request.Id, ReturnAction.Message);

        Assert.Equal(ReturnStatus.AwaitingClarificationWithSeller, clarifying.Status);
        Assert.Equal(request.CreatedAt + TimeSpan.FromDays(3), clarifying.DueAt);
        await Returns.AdvanceToAsync(request.CreatedAt + TimeSpan.FromDays(3));
        Assert.Equal(ReturnStatus.Approved, (await Returns.StoredAsync(request.Id)).Status);
    }

    [Fact]
    public async Task A_customers_message_on_a_new_request_leaves_it_new_with_its_deadline()
    {
        var request = await Returns.NewRequestAsync();

        var after = await Returns.ActAsync(request.Id, ReturnAction.Message, Returns.Customer);

        Assert.Equal((ReturnStatus.New, request.DueAt), (after.Status, after.DueAt));
        Assert.Single(after.History);
        var message = Assert.Single(after.Messages);
        Assert.Equal((ReturnActorRole.Customer, Returns.CustomerId), (message.From, message.ById));
    }

    [Fact]
    public async Task A_seller_message_while_awaiting_clarification_is_posted_and_changes_no_status()
    {
        var request = await Returns.IntoAsync(Spot.AwaitingClarificationWithSeller);

        var after = await Returns.ActAsync(request.Id, ReturnAction.Message);

        Assert.Equal((ReturnStatus.AwaitingClarificationWithSeller, request.History.Count), (after.Status, after.History.Count));
        Assert.Equal(2, after.Messages.Count);
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_records_it()
    {
        var request = await Returns.NewRequestAsync();
        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "reason-required",
            () => Returns.ActAsync(request.Id, Returns.Command(ReturnAction.Reject) with { Reason = " " }));

        var rejected = await Returns.ActAsync(request.Id, ReturnAction.Reject);

        Assert.Equal(("Not as described", false, Returns.Now), (rejected.Rejection!.Reason, rejected.Rejection.ServiceCenterConclusionRequired, rejected.Rejection.At));
        Assert.Equal("Not as described", rejected.History[^1].Note);
    }

    [Fact]
    public async Task Only_a_technically_complex_product_can_be_rejected_pending_a_service_center_conclusion()
    {
        var plain = await Returns.NewRequestAsync();
        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "conclusion-not-applicable",
            () => Returns.ActAsync(plain.Id, Returns.Command(ReturnAction.Reject) with { RequireServiceCenterConclusion = true }));

        var complex = await Returns.CreateAsync(ReturnsHarness.Claim(await Returns.DeliverAsync(technicallyComplex: true)));
        var rejected = await Returns.ActAsync(complex.Id, Returns.Command(ReturnAction.Reject) with { RequireServiceCenterConclusion = true });

        Assert.True(rejected.Rejection!.ServiceCenterConclusionRequired);
    }

    [Fact]
    public async Task Accepting_an_offer_ends_the_request_with_a_refund_of_the_offered_amount()
    {
        var request = await Returns.IntoAsync(Spot.PartialCompensationOffered);

        var accepted = await Returns.ActAsync(request.Id, ReturnAction.AcceptCompensation);

        Assert.Equal(new ReturnRefund(1_000m, 0, 1_000m, "PartialCompensation"), accepted.Refund);
        Assert.Equal(OfferOutcome.Accepted, Assert.Single(accepted.CompensationOffers).Outcome);
        Assert.Equal((null, null), (accepted.NextActor, accepted.DueAt));
    }

    [Fact]
    public async Task An_offer_refused_is_marked_refused_and_one_left_unanswered_is_marked_expired()
    {
        var refused = await Returns.ActAsync((await Returns.IntoAsync(Spot.PartialCompensationOffered)).Id, ReturnAction.RefuseCompensation);
        Assert.Equal(OfferOutcome.Refused, Assert.Single(refused.CompensationOffers).Outcome);

        var expired = await TimeoutLeadsToAsync(Spot.PartialCompensationOffered, TimeSpan.FromDays(3), ReturnStatus.AwaitingClarification);
        Assert.Equal(OfferOutcome.Expired, Assert.Single(expired.CompensationOffers).Outcome);
        Assert.Equal(ReturnActorRole.Seller, expired.NextActor);
    }

    [Fact]
    public async Task Shipping_needs_a_tracking_number_and_records_it_with_the_shipping_instant()
    {
        var request = await Returns.IntoAsync(Spot.Approved);
        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "tracking-number-required",
            () => Returns.ActAsync(request.Id, Returns.Command(ReturnAction.Ship) with { TrackingNumber = "" }));

        var shipped = await Returns.ActAsync(request.Id, ReturnAction.Ship);

        Assert.Equal(("RA123456789RU", Returns.Now), (shipped.TrackingNumber, shipped.ShippedAt));
    }

    [Fact]
    public async Task A_request_dispute_decided_for_the_customer_gives_the_customer_four_days_to_ship()
    {
        var request = await Returns.IntoAsync(Spot.RequestDispute);

        var approved = await Returns.DecideAsync(request.Id, DisputeSide.Customer);

        Assert.Equal((ReturnStatus.Approved, ReturnActorRole.Customer, Returns.Now + TimeSpan.FromDays(4)),
            (approved.Status, approved.NextActor, approved.DueAt));
        Assert.Equal("for the customer", approved.History[^1].Note);
    }

    [Fact]
    public async Task A_dispute_decision_without_a_side_is_refused_as_bad_input()
    {
        var request = await Returns.IntoAsync(Spot.RequestDispute);

        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "side-required",
            () => Returns.ActAsync(request.Id, Returns.Command(ReturnAction.DecideDispute) with { InFavorOf = null }));
    }

    [Fact]
    public async Task A_dispute_left_undecided_is_decided_for_the_customer()
    {
        var decided = await TimeoutLeadsToAsync(Spot.RequestDispute, TimeSpan.FromDays(3), ReturnStatus.Approved);

        Assert.Equal(DisputeSide.Customer, decided.Dispute!.DecidedFor);
    }

    /// <summary>
    /// The seed: "If you don't reply, Ozon will make a decision in favor of the customer". Answered, the dispute is never
    /// decided by the clock: moderators are next, marked overdue three days after the answer, and still decide either way.
    /// </summary>
    [Theory]
    [InlineData(Spot.RequestDispute, DisputeSide.Seller, ReturnStatus.RejectedByOzon)]
    [InlineData(Spot.ReceiptDispute, DisputeSide.Customer, ReturnStatus.Refund)]
    public async Task A_dispute_the_seller_answered_waits_for_moderators_and_is_marked_overdue_for_them(
        Spot spot, DisputeSide side, ReturnStatus decided)
    {
        var request = await Returns.IntoAsync(spot);
        Assert.Equal(ReturnActorRole.Seller, request.NextActor);

        // Only the seller answers, once, with text.
        await ReturnsHarness.FailsAsync(DomainErrorKind.Forbidden, "not-your-action",
            () => Returns.ActAsync(request.Id, ReturnAction.ReplyToDispute, Returns.Customer));
        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "text-required",
            () => Returns.ActAsync(request.Id, Returns.Command(ReturnAction.ReplyToDispute) with { Text = " " }));
        var answered = await Returns.ActAsync(request.Id, ReturnAction.ReplyToDispute);
        Assert.Equal((ReturnStatus.DisputeOpened, ReturnActorRole.Moderator), (answered.Status, answered.NextActor));
        Assert.Equal(("The item was used: see the scratches in photo 2.", Returns.Now), (answered.Dispute!.SellerReply, answered.Dispute.RepliedAt));
        Assert.Equal(Returns.Now.AddDays(3), answered.DueAt);
        await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "invalid-transition",
            () => Returns.ActAsync(request.Id, ReturnAction.ReplyToDispute));

        // A week on, nothing decided it: moderators are overdue, and they still decide.
        await Returns.AdvanceAsync(TimeSpan.FromDays(7));
        var waiting = await Returns.GetAsync(request.Id);
        Assert.Equal((ReturnStatus.DisputeOpened, true, null), (waiting.Status, waiting.Dispute!.OverdueForModerators, waiting.DueAt));
        Assert.Equal(decided, (await Returns.DecideAsync(request.Id, side)).Status);
    }
}
