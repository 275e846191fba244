using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Returns;
using OzonActors.Persistence;
using OzonActors.Persistence.Events;

namespace OzonActors.Grains.Tests;

/// <summary>RULES §1: every status change records who and when, is pushed live, and every request shows who acts next by when.</summary>
public sealed class HistoryTests : ReturnsTest
{
    [Fact]
    public async Task Every_status_change_records_who_made_it_and_when()
    {
        var start = Returns.Now;
        var request = await Returns.NewRequestAsync();
        await Returns.AdvanceAsync(TimeSpan.FromHours(2));
        await Returns.ActAsync(request.Id, ReturnAction.Message);
        await Returns.AdvanceAsync(TimeSpan.FromHours(3));
        await Returns.ActAsync(request.Id, ReturnAction.Approve);
        await Returns.AdvanceAsync(Day);
        await Returns.ActAsync(request.Id, ReturnAction.Ship);
        await Returns.AdvanceAsync(TimeSpan.FromDays(4));
        await Returns.ActAsync(request.Id, ReturnAction.ConfirmReceived);
        await Returns.AdvanceAsync(TimeSpan.FromDays(8));

        var history = (await Returns.GetAsync(request.Id, Returns.Moderator)).History;

        var seller = (ReturnActorRole.Seller, (Guid?)Returns.SellerId, (Guid?)Returns.SellerAccountId);
        var customer = (ReturnActorRole.Customer, (Guid?)Returns.CustomerId, (Guid?)null);
        var system = (ReturnActorRole.System, (Guid?)null, (Guid?)null);
        var shippedAt = start + TimeSpan.FromHours(5) + Day;
        Assert.Equal(
            [
                (ReturnStatus.New, start, customer, "Create"),
                (ReturnStatus.AwaitingClarificationWithSeller, start + TimeSpan.FromHours(2), seller, "Message"),
                (ReturnStatus.Approved, start + TimeSpan.FromHours(5), seller, "Approve"),
                (ReturnStatus.ReturnOnTheWay, shippedAt, customer, "Ship"),
                (ReturnStatus.ReceivedBySeller, shippedAt + TimeSpan.FromDays(4), seller, "ConfirmReceived"),
                (ReturnStatus.Refund, shippedAt + TimeSpan.FromDays(11), system, "Timeout"),
            ],
            history.Select(e => (e.Status, e.At, (e.By, e.ById, e.ByAccountId), e.Action)));
    }

    public static TheoryData<Spot, ReturnActorRole?, int?> NextActors() => new()
    {
        { Spot.New, ReturnActorRole.Seller, 1 },
        { Spot.AwaitingClarificationWithSeller, ReturnActorRole.Seller, 3 },
        { Spot.PartialCompensationOffered, ReturnActorRole.Customer, 3 },
        { Spot.MarketplaceOffer, ReturnActorRole.Customer, 3 },
        { Spot.AwaitingClarification, ReturnActorRole.Seller, 3 },
        { Spot.PartialCompensationApproved, null, null },
        { Spot.Approved, ReturnActorRole.Customer, 4 },
        { Spot.RejectedBySeller, ReturnActorRole.Customer, 5 },
        { Spot.Overdue, null, null },
        { Spot.RejectedDisputeNotOpened, null, null },
        { Spot.RequestDispute, ReturnActorRole.Seller, 3 },
        { Spot.RejectedByOzon, null, null },
        { Spot.CanceledByCustomer, null, null },
        { Spot.ReturnOnTheWay, ReturnActorRole.Seller, 31 },
        { Spot.TransitDispute, ReturnActorRole.Moderator, null },
        { Spot.TransitDisputeArrived, ReturnActorRole.Seller, 3 },
        { Spot.ReceivedBySeller, ReturnActorRole.Seller, 7 },
        { Spot.RejectedAfterReceipt, ReturnActorRole.Customer, 5 },
        { Spot.RejectedByMutualConsent, null, null },
        { Spot.ReceiptDispute, ReturnActorRole.Seller, 3 },
        { Spot.Refund, null, null },
    };

    [Theory]
    [MemberData(nameof(NextActors))]
    public async Task Every_request_shows_who_acts_next_and_by_when(Spot spot, ReturnActorRole? next, int? days)
    {
        var request = await Returns.IntoAsync(spot);

        Assert.Equal((next, days is { } d ? Returns.Now + TimeSpan.FromDays(d) : null), (request.NextActor, request.DueAt));
        var stored = await Returns.StoredAsync(request.Id);
        Assert.Equal(request.DueAt, stored.DueAt);
        Assert.Equal((string[])(days is null ? [] : ["deadline"]), (await Returns.RemindersAsync(request.Id)).Where(name => name == "deadline"));
    }

    [Fact]
    public async Task A_view_is_a_snapshot_that_later_changes_to_the_request_do_not_alter()
    {
        var created = await Returns.NewRequestAsync();
        var offered = await Returns.ActAsync(created.Id, ReturnAction.OfferCompensation);
        await Returns.ActAsync(created.Id, ReturnAction.Message, Returns.Customer);

        await Returns.ActAsync(created.Id, ReturnAction.AcceptCompensation);

        Assert.Single(created.History);
        Assert.Equal(2, offered.History.Count);
        Assert.Empty(offered.Messages);
        Assert.Equal(OfferOutcome.Pending, Assert.Single(offered.CompensationOffers).Outcome);
    }

    [Fact]
    public async Task A_status_change_is_pushed_live_to_the_seller_and_the_customer()
    {
        var request = await Returns.NewRequestAsync();

        await Returns.ActAsync(request.Id, ReturnAction.Approve);

        var log = Returns.Cluster.Services.GetRequiredService<IEventLog>();
        var events = (await log.ReadAsync(EventPosition.Start, 1_000, default)).Events
            .Where(e => e.Stream == $"return:{request.Id}" && e.Type == "ReturnStatusChanged").ToList();
        Assert.Equal(2, events.Count);
        var approved = JsonSerializer.Deserialize<ReturnStatusChanged>(events[^1].DataJson, GrainJson.Options)!;
        Assert.Equal((ReturnStatus.New, ReturnActorRole.Seller, ReturnStatus.Approved), (approved.From, approved.By, approved.Request.Status));
        Assert.Contains($"seller:{Returns.SellerId}", events[^1].Audiences);
        Assert.Contains($"customer:{Returns.CustomerId}", events[^1].Audiences);
    }
}
