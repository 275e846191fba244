using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>Every action the stage tables do not allow in a status is a 409 naming the status, and changes nothing.</summary>
public sealed class ForbiddenActionTests(SpotsFixture spots) : IClassFixture<SpotsFixture>
{
    public static TheoryData<Spot, ReturnAction> Forbidden() => Table.Forbidden();

    public static TheoryData<Spot> AllSpots() => Table.AllSpots();

    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task An_action_outside_its_statuses_is_a_conflict_naming_the_status(Spot spot, ReturnAction action)
    {
        var (returns, request) = await spots.GetAsync(spot);
        var status = Table.StatusOf(spot);

        var error = await ReturnsHarness.FailsAsync(DomainErrorKind.Conflict, "invalid-transition",
            () => returns.ActAsync(request.Id, action));

        Assert.Matches($@"\bstatus {status}\b", error.Message);
        var after = await returns.GetAsync(request.Id);
        Assert.Equal((status, request.History.Count, request.UpdatedAt), (after.Status, after.History.Count, after.UpdatedAt));
    }

    [Theory]
    [MemberData(nameof(AllSpots))]
    public async Task Each_party_is_offered_exactly_the_actions_its_row_allows(Spot spot)
    {
        var (returns, request) = await spots.GetAsync(spot);
        var expected = new Dictionary<ReturnActorRole, SortedSet<ReturnAction>>();
        foreach (var action in Table.Allowed(spot))
        {
            // A "Where is the refund" dispute waits for day 15; the request was just shipped.
            if (spot == Spot.ReturnOnTheWay && action == ReturnAction.OpenDispute)
            {
                continue;
            }

            var roles = action == ReturnAction.Message
                ? [ReturnActorRole.Customer, ReturnActorRole.Seller, ReturnActorRole.Moderator]
                : new[] { returns.PerformerOf(action).Role };
            foreach (var role in roles)
            {
                (expected.TryGetValue(role, out var set) ? set : expected[role] = []).Add(action);
            }
        }

        var actual = request.AllowedActions.ToDictionary(p => p.Key, p => new SortedSet<ReturnAction>(p.Value));
        Assert.Equal(
            expected.OrderBy(p => p.Key).Select(p => $"{p.Key}: {string.Join(", ", p.Value)}"),
            actual.OrderBy(p => p.Key).Select(p => $"{p.Key}: {string.Join(", ", p.Value)}"));
    }
}
