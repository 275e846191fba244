using OzonActors.Returns;
using OzonActors.Testing;

namespace OzonActors.Grains.Tests;

/// <summary>Deadlines kept in PostgreSQL fire after a restart: each exactly once in effect.</summary>
public sealed class RestartTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    /// <summary>Every waiting spot: its deadline in days and what the deadline leads to.</summary>
    private static readonly (Spot Spot, int Days, ReturnStatus Target, DisputeStage? Stage)[] Waiting =
    [
        (Spot.ReturnOnTheWay, 31, ReturnStatus.DisputeOpened, DisputeStage.Transit),
        (Spot.ReceivedBySeller, 7, ReturnStatus.Refund, null),
        (Spot.RejectedBySeller, 5, ReturnStatus.RejectedDisputeNotOpened, null),
        (Spot.RejectedAfterReceipt, 5, ReturnStatus.RejectedByMutualConsent, null),
        (Spot.Approved, 4, ReturnStatus.Overdue, null),
        (Spot.AwaitingClarificationWithSeller, 3, ReturnStatus.Approved, null),
        (Spot.PartialCompensationOffered, 3, ReturnStatus.AwaitingClarification, null),
        (Spot.MarketplaceOffer, 3, ReturnStatus.Approved, null),
        (Spot.AwaitingClarification, 3, ReturnStatus.Approved, null),
        (Spot.RequestDispute, 3, ReturnStatus.Approved, null),
        (Spot.TransitDisputeArrived, 3, ReturnStatus.Refund, null),
        (Spot.ReceiptDispute, 3, ReturnStatus.Refund, null),
        (Spot.New, 1, ReturnStatus.Approved, null),
    ];

    [Fact]
    public async Task Every_deadline_that_passed_while_no_runtime_ran_fires_exactly_once_on_the_next_start()
    {
        await using var returns = await ReturnsHarness.StartAsync(database.ConnectionString);

        // A transit dispute takes 14 days in transit to open; it has no deadline until its parcel arrives, below.
        var inTransit = await returns.IntoAsync(Spot.TransitDispute);

        // Every request enters its status so that its deadline falls one hour before the restart; the status each
        // deadline leads to waits at least three days more, so one restart must apply exactly one timeout to each.
        var restartAt = returns.Now + TimeSpan.FromDays(32);
        var due = restartAt - TimeSpan.FromHours(1);
        var requests = new List<(Guid Id, ReturnStatus Target, DisputeStage? Stage)>();
        foreach (var (spot, days, target, stage) in Waiting)
        {
            await returns.AdvanceToAsync(due - TimeSpan.FromDays(days));
            var request = spot == Spot.TransitDisputeArrived
                ? await returns.ActAsync(inTransit.Id, ReturnAction.ConfirmReceived)
                : await returns.IntoAsync(spot);
            Assert.Equal((Table.StatusOf(spot), Table.StageOf(spot), due), (request.Status, request.DisputeStage, request.DueAt));
            requests.Add((request.Id, target, stage));
        }

        await returns.StopAsync();
        returns.Cluster.Time.Advance(restartAt - returns.Now);
        await returns.StartAgainAsync();
        await returns.Cluster.FireDueRemindersAsync();

        await AssertTimedOutOnceAsync();

        // Another start finds nothing left to do.
        await returns.StopAsync();
        await returns.StartAgainAsync();
        await returns.Cluster.FireDueRemindersAsync();
        await AssertTimedOutOnceAsync();
        foreach (var (id, target, stage) in requests)
        {
            var view = await returns.GetAsync(id);
            Assert.Equal((target, stage), (view.Status, view.DisputeStage));
            Assert.Single(view.History, e => e.Action == "Timeout");
        }

        async Task AssertTimedOutOnceAsync()
        {
            foreach (var (id, target, stage) in requests)
            {
                var stored = await returns.StoredAsync(id);
                Assert.Equal((target, stage), (stored.Status, stored.DisputeStage));
                var timeout = Assert.Single(stored.History, e => e.Action == "Timeout");
                Assert.Equal((target, due, ReturnActorRole.System), (timeout.Status, timeout.At, timeout.By));
                Assert.True(stored.DueAt is null || stored.DueAt >= restartAt + TimeSpan.FromDays(2), $"{target} is due {stored.DueAt}");
            }
        }
    }
}
