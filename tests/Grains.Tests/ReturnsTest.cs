using OzonActors.Returns;

namespace OzonActors.Grains.Tests;

/// <summary>A test with its own in-memory cluster and clock, started before and stopped after it.</summary>
public abstract class ReturnsTest : IAsyncLifetime
{
    protected static readonly TimeSpan Day = ReturnsHarness.Day;

    protected static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    protected ReturnsHarness Returns { get; private set; } = null!;

    public async Task InitializeAsync() => Returns = await ReturnsHarness.StartAsync();

    public async Task DisposeAsync() => await Returns.DisposeAsync();

    /// <summary>
    /// An action row: from <paramref name="from"/>, <paramref name="action"/> by the party the table names leads to
    /// <paramref name="expected"/>, recorded once in the history with who and when.
    /// </summary>
    protected async Task<ReturnRequestView> ActionLeadsToAsync(
        Spot from, ReturnAction action, ReturnStatus expected, DisputeStage? stage = null, DisputeSide? side = null)
    {
        var request = await Returns.IntoAsync(from);
        await Returns.AdvanceAsync(TimeSpan.FromHours(1));
        var command = side is null ? Returns.Command(action) : Returns.Command(action) with { InFavorOf = side };
        var at = Returns.Now;

        var after = await Returns.ActAsync(request.Id, command);

        Assert.Equal((expected, stage), (after.Status, after.DisputeStage));
        Assert.Equal(request.History.Count + 1, after.History.Count);
        var entry = after.History[^1];
        Assert.Equal(
            (expected, at, command.Actor.Role, command.Actor.Id, command.Actor.AccountId, action.ToString()),
            (entry.Status, entry.At, entry.By, entry.ById, entry.ByAccountId, entry.Action));
        Assert.Equal(expected, (await Returns.StoredAsync(request.Id)).Status);
        return after;
    }

    /// <summary>
    /// A timeout row: <paramref name="from"/> waits exactly <paramref name="deadline"/>; a second before nothing happens,
    /// at the instant the reminder alone (no call to the grain) moves it to <paramref name="expected"/>, recorded once
    /// as a timeout by the system at the due instant.
    /// </summary>
    protected async Task<ReturnRequestView> TimeoutLeadsToAsync(
        Spot from, TimeSpan deadline, ReturnStatus expected, DisputeStage? stage = null)
    {
        var request = await Returns.IntoAsync(from);
        var due = Returns.Now + deadline;
        Assert.Equal(due, request.DueAt);

        await Returns.AdvanceToAsync(due - Second);
        Assert.Equal(Table.StatusOf(from), (await Returns.StoredAsync(request.Id)).Status);
        await Returns.AdvanceAsync(Second);
        var stored = await Returns.StoredAsync(request.Id);
        Assert.Equal((expected, stage), (stored.Status, stored.DisputeStage));

        var after = await Returns.GetAsync(request.Id);
        Assert.Equal((expected, stage), (after.Status, after.DisputeStage));
        Assert.Equal(request.History.Count + 1, after.History.Count);
        var entry = Assert.Single(after.History, e => e.Action == "Timeout");
        Assert.Equal((expected, due, ReturnActorRole.System, (Guid?)null), (entry.Status, entry.At, entry.By, entry.ById));
        return after;
    }
}
