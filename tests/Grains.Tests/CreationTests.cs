using OzonActors.Grains.Returns;
using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>RULES §1, "Eligibility at creation": the order line, the quantity left, the claim and the return period.</summary>
public sealed class CreationTests : ReturnsTest
{
    [Fact]
    public async Task A_request_records_the_claim_the_line_and_who_created_it()
    {
        var orderId = await Returns.DeliverAsync(price: 2_500m, quantity: 2, crossBorder: true);

        var request = await Returns.CreateAsync(ReturnsHarness.Claim(orderId, quantity: 2));

        Assert.Equal((orderId, ReturnsHarness.LineId, "Kettle", ProductCategory.Other, Returns.SellerId, Returns.CustomerId),
            (request.OrderId, request.LineId, request.ProductName, request.Category, request.SellerId, request.CustomerId));
        Assert.Equal((2_500m, 2, ReturnQuality.Improper, "The lid is cracked", "Arrived like this"),
            (request.Price, request.Quantity, request.Quality, request.Reason, request.Comment));
        Assert.Equal(["https://photos.example/lid.jpg"], request.Photos);
        Assert.Equal((ReturnStatus.New, Returns.Now, Returns.Now), (request.Status, request.CreatedAt, request.UpdatedAt));
        var created = Assert.Single(request.History);
        Assert.Equal((ReturnStatus.New, Returns.Now, ReturnActorRole.Customer, Returns.CustomerId, "Create"),
            (created.Status, created.At, created.By, created.ById, created.Action));
        Assert.True(request.CrossBorder);
        Assert.Equal(2, request.Notes.Count);
    }

    [Fact]
    public async Task More_than_is_left_of_a_line_is_a_conflict_and_a_canceled_request_gives_its_quantity_back()
    {
        var orderId = await Returns.DeliverAsync(quantity: 3);
        var first = await Returns.CreateAsync(ReturnsHarness.Claim(orderId, quantity: 2));
        await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "quantity-unavailable",
            () => Returns.CreateAsync(ReturnsHarness.Claim(orderId, quantity: 2)));
        await Returns.CreateAsync(ReturnsHarness.Claim(orderId, quantity: 1));
        await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "quantity-unavailable",
            () => Returns.CreateAsync(ReturnsHarness.Claim(orderId, quantity: 1)));

        await Returns.ActAsync(first.Id, ReturnAction.Cancel);

        Assert.Equal(2, (await Returns.Grains.GetGrain<IOrderGrain>(orderId).FindAsync())!.Lines[0].ReturnableQuantity);
        Assert.Equal(2, (await Returns.CreateAsync(ReturnsHarness.Claim(orderId, quantity: 2))).Quantity);
    }

    /// <summary>
    /// Issue 12, point 3: a creation that held quantity and then failed or crashed before its request was written left the
    /// quantity held forever. Now the hold is pending; the order asks the request after a minute and gives it back.
    /// </summary>
    [Fact]
    public async Task A_hold_whose_request_was_never_written_is_given_back_within_a_minute_and_a_written_one_is_kept()
    {
        var orderId = await Returns.DeliverAsync(quantity: 3);
        var order = Returns.Grains.GetGrain<IOrderGrain>(orderId);
        var kept = await Returns.CreateAsync(ReturnsHarness.Claim(orderId, quantity: 1));

        // A creation that reserved 2 and died before its write (the reservation is what its grain does first).
        await order.ReserveReturnAsync(Guid.NewGuid(), Returns.CustomerId, ReturnsHarness.LineId, 2);
        Assert.Equal(0, (await order.FindAsync())!.Lines[0].ReturnableQuantity);

        await Returns.AdvanceAsync(OrderGrain.HoldConfirmWindow + TimeSpan.FromSeconds(1));

        // The dead attempt's 2 are back; the written request keeps its 1, and its hold is no longer pending.
        Assert.Equal(2, (await order.FindAsync())!.Lines[0].ReturnableQuantity);
        await Returns.AdvanceAsync(OrderGrain.HoldConfirmWindow * 2);
        Assert.Equal(2, (await order.FindAsync())!.Lines[0].ReturnableQuantity);
        Assert.Equal(ReturnStatus.New, (await Returns.StoredAsync(kept.Id)).Status);
        Assert.Equal(2, (await Returns.CreateAsync(ReturnsHarness.Claim(orderId, quantity: 2))).Quantity);
    }

    [Fact]
    public async Task A_request_overdue_for_shipping_gives_its_quantity_back()
    {
        var orderId = await Returns.DeliverAsync();
        var request = await Returns.CreateAsync(ReturnsHarness.Claim(orderId));
        await Returns.ActAsync(request.Id, ReturnAction.Approve);

        await Returns.AdvanceAsync(TimeSpan.FromDays(4));

        Assert.Equal(ReturnStatus.Overdue, (await Returns.StoredAsync(request.Id)).Status);
        Assert.Equal(1, (await Returns.Grains.GetGrain<IOrderGrain>(orderId).FindAsync())!.Lines[0].ReturnableQuantity);
    }

    [Fact]
    public async Task A_request_that_goes_on_keeps_its_quantity()
    {
        var orderId = await Returns.DeliverAsync();
        var request = await Returns.CreateAsync(ReturnsHarness.Claim(orderId));
        await Returns.ActAsync(request.Id, ReturnAction.Reject);

        await Returns.AdvanceAsync(TimeSpan.FromDays(6));

        Assert.Equal(ReturnStatus.RejectedDisputeNotOpened, (await Returns.StoredAsync(request.Id)).Status);
        Assert.Equal(0, (await Returns.Grains.GetGrain<IOrderGrain>(orderId).FindAsync())!.Lines[0].ReturnableQuantity);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4)]
    public async Task A_quantity_below_one_or_above_what_was_bought_is_refused_as_bad_input(int quantity)
    {
        var orderId = await Returns.DeliverAsync(quantity: 3);

        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "invalid-quantity",
            () => Returns.CreateAsync(ReturnsHarness.Claim(orderId, quantity: quantity)));

        Assert.Equal(3, (await Returns.Grains.GetGrain<IOrderGrain>(orderId).FindAsync())!.Lines[0].ReturnableQuantity);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_request_without_a_reason_is_refused(string reason)
    {
        var orderId = await Returns.DeliverAsync();

        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, "reason-required",
            () => Returns.CreateAsync(ReturnsHarness.Claim(orderId, reason: reason)));
    }

    public static TheoryData<string[], string> BadPhotos() => new()
    {
        { [], "photos-required" },
        { [" "], "invalid-photo" },
        { ["lid.jpg"], "invalid-photo" },
        { ["https://photos.example/lid.jpg", "ftp://photos.example/lid.jpg"], "invalid-photo" },
    };

    [Theory]
    [MemberData(nameof(BadPhotos))]
    public async Task A_request_needs_at_least_one_photo_and_every_photo_must_be_a_web_address(string[] photos, string code)
    {
        var orderId = await Returns.DeliverAsync();

        await ReturnsHarness.FailsAsync(DomainErrorKind.Invalid, code,
            () => Returns.CreateAsync(ReturnsHarness.Claim(orderId, photos: photos)));
        Assert.Equal(1, (await Returns.Grains.GetGrain<IOrderGrain>(orderId).FindAsync())!.Lines[0].ReturnableQuantity);
    }

    [Fact]
    public async Task Only_the_customer_of_a_recorded_order_may_return_from_it()
    {
        var orderId = await Returns.DeliverAsync();

        await ReturnsHarness.FailsAsync(DomainErrorKind.NotFound, "order-not-found",
            () => Returns.CreateAsync(ReturnsHarness.Claim(orderId), customerId: Guid.NewGuid()));
        await ReturnsHarness.FailsAsync(DomainErrorKind.NotFound, "order-not-found",
            () => Returns.CreateAsync(ReturnsHarness.Claim("never-recorded")));
        await ReturnsHarness.FailsAsync(DomainErrorKind.NotFound, "order-line-not-found",
            () => Returns.CreateAsync(ReturnsHarness.Claim(orderId) with { LineId = "line-9" }));
    }

    [Fact]
    public async Task A_request_is_created_once()
    {
        var orderId = await Returns.DeliverAsync(quantity: 2);
        var id = Guid.NewGuid();
        await Returns.Request(id).CreateAsync(Returns.CustomerId, ReturnsHarness.Claim(orderId));

        await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "return-exists",
            () => Returns.Request(id).CreateAsync(Returns.CustomerId, ReturnsHarness.Claim(orderId)));
    }

    [Theory]
    [InlineData(ProductCategory.Food, ReturnQuality.Improper, 1)]
    [InlineData(ProductCategory.Books, ReturnQuality.Proper, 7)]
    [InlineData(ProductCategory.Other, ReturnQuality.Proper, 15)]
    public async Task A_request_is_accepted_at_the_last_instant_of_the_return_period_and_refused_a_second_later(
        ProductCategory category, ReturnQuality quality, int days)
    {
        var inTime = await Returns.DeliverAsync(category: category, deliveredAgo: TimeSpan.FromDays(days), quantity: 1);
        var late = await Returns.DeliverAsync(category: category, deliveredAgo: TimeSpan.FromDays(days) + Second);

        Assert.Equal(ReturnStatus.New, (await Returns.CreateAsync(ReturnsHarness.Claim(inTime, quality: quality))).Status);
        var error = await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "return-period-over",
            () => Returns.CreateAsync(ReturnsHarness.Claim(late, quality: quality)));
        Assert.Contains(category.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Food_of_proper_quality_is_not_returnable_and_a_defect_under_warranty_is()
    {
        var food = await Returns.DeliverAsync(category: ProductCategory.Food, deliveredAgo: TimeSpan.FromHours(1));
        await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "not-returnable",
            () => Returns.CreateAsync(ReturnsHarness.Claim(food, quality: ReturnQuality.Proper)));

        var complex = await Returns.DeliverAsync(deliveredAgo: TimeSpan.FromDays(300), technicallyComplex: true);
        Assert.Equal(ReturnStatus.New, (await Returns.CreateAsync(ReturnsHarness.Claim(complex))).Status);
        await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "return-period-over",
            () => Returns.CreateAsync(ReturnsHarness.Claim(complex, quality: ReturnQuality.Proper)));
    }
}
