using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>A decision racing its own deadline: exactly one of them takes effect, and it is recorded once.</summary>
public sealed class RaceTests : ReturnsTest
{
    [Theory]
    [InlineData(ReturnAction.Reject)]
    [InlineData(ReturnAction.Approve)]
    [InlineData(ReturnAction.OfferCompensation)]
    public async Task A_seller_decision_racing_the_one_day_timeout_ends_in_exactly_one_outcome_recorded_once(ReturnAction decision)
    {
        // Deadlines one millisecond apart, so that the clock sweeping across them meets the decisions in flight.
        const int Requests = 24;
        var step = TimeSpan.FromMilliseconds(1);
        var requests = new List<ReturnRequestView>();
        for (var i = 0; i < Requests; i++)
        {
            requests.Add(await Returns.NewRequestAsync());
            await Returns.AdvanceAsync(step);
        }

        await Returns.AdvanceToAsync(requests[0].DueAt!.Value - step);
        var decisions = requests.Select(r => Task.Run(() => Returns.ActAsync(r.Id, decision))).ToList();
        for (var i = 0; i < Requests + 1; i++)
        {
            await Returns.AdvanceAsync(step);
        }

        var results = await Task.WhenAll(decisions.Select(async d =>
        {
            try
            {
                return (View: await d, Error: (DomainException?)null);
            }
            catch (DomainException error)
            {
                return (View: (ReturnRequestView?)null, Error: error);
            }
        }));
        await Returns.Cluster.FireDueRemindersAsync();

        var target = decision switch
        {
            ReturnAction.Reject => ReturnStatus.RejectedBySeller,
            ReturnAction.Approve => ReturnStatus.Approved,
            _ => ReturnStatus.PartialCompensationOffered,
        };
        for (var i = 0; i < Requests; i++)
        {
            var (view, error) = results[i];
            var stored = await Returns.StoredAsync(requests[i].Id);
            var outcome = Assert.Single(stored.History, e => e.Status != ReturnStatus.New);
            Assert.Equal(2, stored.History.Count);
            if (error is null)
            {
                // The seller came first: its decision stands and the deadline never fired.
                Assert.Equal((target, ReturnActorRole.Seller, decision.ToString()), (outcome.Status, outcome.By, outcome.Action));
                Assert.Equal(target, view!.Status);
            }
            else
            {
                // The deadline came first: the request was approved by the system and the decision was refused.
                Assert.Equal((DomainErrorKind.Conflict, "invalid-transition"), (error.Kind, error.Code));
                Assert.Contains("status Approved", error.Message, StringComparison.Ordinal);
                Assert.Equal((ReturnStatus.Approved, ReturnActorRole.System, "Timeout", requests[i].DueAt),
                    (outcome.Status, outcome.By, outcome.Action, (DateTimeOffset?)outcome.At));
            }

            Assert.Equal(outcome.Status, stored.Status);
        }
    }

    [Fact]
    public async Task A_decision_a_moment_before_the_deadline_stands_and_the_deadline_never_fires()
    {
        var request = await Returns.NewRequestAsync();
        await Returns.AdvanceToAsync(request.DueAt!.Value - TimeSpan.FromMilliseconds(1));

        var rejected = await Returns.ActAsync(request.Id, ReturnAction.Reject);
        await Returns.AdvanceAsync(TimeSpan.FromDays(2));

        Assert.Equal(rejected.History, (await Returns.StoredAsync(request.Id)).History);
        Assert.Equal([ReturnStatus.New, ReturnStatus.RejectedBySeller], rejected.History.Select(e => e.Status));
    }

    [Fact]
    public async Task A_decision_at_the_deadline_instant_meets_the_timeout_whether_or_not_its_reminder_was_delivered()
    {
        var request = await Returns.NewRequestAsync();

        // Moving the clock without awaiting reminder delivery: the request's own catch-up applies the deadline if the
        // reminder has not yet.
        Returns.Cluster.Time.Advance(Day);
        var error = await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "invalid-transition",
            () => Returns.ActAsync(request.Id, ReturnAction.Reject));
        await Returns.Cluster.FireDueRemindersAsync();

        Assert.Contains("status Approved", error.Message, StringComparison.Ordinal);
        var view = await Returns.GetAsync(request.Id);
        var timeout = Assert.Single(view.History, e => e.Status != ReturnStatus.New);
        Assert.Equal((ReturnStatus.Approved, ReturnActorRole.System, "Timeout", request.DueAt), (timeout.Status, timeout.By, timeout.Action, timeout.At));
        Assert.Equal(2, view.History.Count);
    }
}
