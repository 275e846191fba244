using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>RULES §1, "Receipt stage": every action row and every timeout row, and the delivery cost limit.</summary>
public sealed class ReceiptStageTests : ReturnsTest
{
    [Theory]
    [InlineData(Spot.ReceivedBySeller, ReturnAction.Refund, ReturnStatus.Refund)]
    [InlineData(Spot.ReceivedBySeller, ReturnAction.RejectRefund, ReturnStatus.RejectedAfterReceipt)]
    [InlineData(Spot.RejectedAfterReceipt, ReturnAction.OpenDispute, ReturnStatus.DisputeOpened, DisputeStage.Receipt)]
    public Task An_action_leads_to_the_status_its_row_states(Spot from, ReturnAction action, ReturnStatus expected, DisputeStage? stage = null) =>
        ActionLeadsToAsync(from, action, expected, stage);

    [Theory]
    [InlineData(DisputeSide.Customer, ReturnStatus.Refund)]
    [InlineData(DisputeSide.Seller, ReturnStatus.RejectedByOzon)]
    public async Task A_moderator_decides_a_receipt_dispute_for_the_customer_or_the_seller(DisputeSide side, ReturnStatus expected)
    {
        var decided = await ActionLeadsToAsync(Spot.ReceiptDispute, ReturnAction.DecideDispute, expected, side: side);

        Assert.Equal((DisputeStage.Receipt, side), (decided.Dispute!.Stage, decided.Dispute.DecidedFor));
    }

    [Theory]
    [InlineData(Spot.ReceivedBySeller, 7, ReturnStatus.Refund)]
    [InlineData(Spot.RejectedAfterReceipt, 5, ReturnStatus.RejectedByMutualConsent)]
    [InlineData(Spot.ReceiptDispute, 3, ReturnStatus.Refund)]
    public Task A_deadline_leads_to_the_status_its_row_states(Spot from, int days, ReturnStatus expected) =>
        TimeoutLeadsToAsync(from, TimeSpan.FromDays(days), expected);

    [Fact]
    public async Task A_seller_silent_for_seven_days_after_receipt_refunds_the_price()
    {
        var refunded = await TimeoutLeadsToAsync(Spot.ReceivedBySeller, TimeSpan.FromDays(7), ReturnStatus.Refund);

        Assert.Equal(new ReturnRefund(ReturnsHarness.SellerPrice, 0, ReturnsHarness.SellerPrice, "Refund"), refunded.Refund);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("350.50")]
    [InlineData("5000")]
    public async Task A_refund_may_include_a_delivery_cost_of_up_to_5000_rubles(string cost)
    {
        var deliveryCost = decimal.Parse(cost, System.Globalization.CultureInfo.InvariantCulture);
        var request = await Returns.IntoAsync(Spot.ReceivedBySeller);

        var refunded = await Returns.ActAsync(request.Id, Returns.Command(ReturnAction.Refund) with { DeliveryCost = deliveryCost });

        Assert.Equal(new ReturnRefund(ReturnsHarness.SellerPrice, deliveryCost, ReturnsHarness.SellerPrice + deliveryCost, "Refund"), refunded.Refund);
    }

    [Theory]
    [InlineData("5000.01")]
    [InlineData("-1")]
    [InlineData("10.001")]
    public async Task A_delivery_cost_above_5000_rubles_negative_or_finer_than_kopecks_is_refused(string cost)
    {
        var request = await Returns.IntoAsync(Spot.ReceivedBySeller);

        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "invalid-delivery-cost", () => Returns.ActAsync(request.Id,
            Returns.Command(ReturnAction.Refund) with { DeliveryCost = decimal.Parse(cost, System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.Equal(ReturnStatus.ReceivedBySeller, (await Returns.GetAsync(request.Id)).Status);
    }

    [Fact]
    public async Task Rejecting_the_refund_after_receipt_needs_a_reason_and_gives_the_customer_five_days()
    {
        var request = await Returns.IntoAsync(Spot.ReceivedBySeller);
        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "reason-required",
            () => Returns.ActAsync(request.Id, Returns.Command(ReturnAction.RejectRefund) with { Reason = null }));

        var rejected = await Returns.ActAsync(request.Id, ReturnAction.RejectRefund);

        Assert.Equal(("Not as described", ReturnActorRole.Customer, Returns.Now + TimeSpan.FromDays(5)),
            (rejected.Rejection!.Reason, rejected.NextActor, rejected.DueAt));
    }
}
