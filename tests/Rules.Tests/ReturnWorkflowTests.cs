using OzonActors.Grains.Returns;
using OzonActors.Returns;

namespace OzonActors.Rules.Tests;

/// <summary>The stage tables of RULES §1, row by row, against the pure <see cref="ReturnWorkflow"/>.</summary>
public sealed class ReturnWorkflowTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Entered = Created.AddHours(5);
    private static readonly DateTimeOffset Shipped = Created.AddDays(2);
    private static readonly DateTimeOffset Arrived = Created.AddDays(20);
    private static readonly ReturnsOptions Options = new();

    private sealed record Row(
        ReturnStatus Status, ReturnProcessor? By, ReturnAction Action, ReturnStatus Target, DisputeStage? Stage = null, bool Arrived = false,
        DisputeSide? Side = null);

    private static ReturnPosition At(ReturnStatus status, ReturnProcessor by = ReturnProcessor.Seller, DisputeStage? stage = null, bool arrived = false) =>
        new(status, by, stage, arrived);

    /// <summary>
    /// Every action row of the three tables: (status, processor — null for any, dispute stage, parcel arrived, action,
    /// side) → status. Chat messages are checked on their own.
    /// </summary>
    private static readonly Row[] Rows =
    [
        .. DecisionRows(ReturnStatus.New),
        .. DecisionRows(ReturnStatus.AwaitingClarificationWithSeller),
        .. DecisionRows(ReturnStatus.AwaitingClarification),
        new(ReturnStatus.New, null, ReturnAction.Cancel, ReturnStatus.CanceledByCustomer),
        new(ReturnStatus.AwaitingClarificationWithSeller, null, ReturnAction.Cancel, ReturnStatus.CanceledByCustomer),
        new(ReturnStatus.AwaitingClarification, null, ReturnAction.Cancel, ReturnStatus.CanceledByCustomer),
        new(ReturnStatus.PartialCompensationOffered, null, ReturnAction.AcceptCompensation, ReturnStatus.PartialCompensationApproved),
        new(ReturnStatus.PartialCompensationOffered, ReturnProcessor.Seller, ReturnAction.RefuseCompensation, ReturnStatus.AwaitingClarification),
        new(ReturnStatus.PartialCompensationOffered, ReturnProcessor.Moderator, ReturnAction.RefuseCompensation, ReturnStatus.AwaitingClarification),
        new(ReturnStatus.PartialCompensationOffered, ReturnProcessor.Marketplace, ReturnAction.RefuseCompensation, ReturnStatus.Approved),
        new(ReturnStatus.PartialCompensationOffered, null, ReturnAction.Cancel, ReturnStatus.CanceledByCustomer),
        new(ReturnStatus.Approved, null, ReturnAction.Ship, ReturnStatus.ReturnOnTheWay),
        new(ReturnStatus.Approved, null, ReturnAction.Cancel, ReturnStatus.CanceledByCustomer),
        new(ReturnStatus.RejectedBySeller, null, ReturnAction.OpenDispute, ReturnStatus.DisputeOpened),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.DecideDispute, ReturnStatus.Approved, DisputeStage.Request, Side: DisputeSide.Customer),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.DecideDispute, ReturnStatus.RejectedByOzon, DisputeStage.Request, Side: DisputeSide.Seller),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.ReplyToDispute, ReturnStatus.DisputeOpened, DisputeStage.Request),

        new(ReturnStatus.ReturnOnTheWay, null, ReturnAction.ConfirmReceived, ReturnStatus.ReceivedBySeller),
        new(ReturnStatus.ReturnOnTheWay, null, ReturnAction.OpenDispute, ReturnStatus.DisputeOpened),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.ConfirmReceived, ReturnStatus.DisputeOpened, DisputeStage.Transit),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.DecideDispute, ReturnStatus.Refund, DisputeStage.Transit, Side: DisputeSide.Customer),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.DecideDispute, ReturnStatus.Refund, DisputeStage.Transit, Arrived: true, Side: DisputeSide.Customer),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.DecideDispute, ReturnStatus.RejectedByOzon, DisputeStage.Transit, Arrived: true, Side: DisputeSide.Seller),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.ReplyToDispute, ReturnStatus.DisputeOpened, DisputeStage.Transit, Arrived: true),

        new(ReturnStatus.ReceivedBySeller, null, ReturnAction.Refund, ReturnStatus.Refund),
        new(ReturnStatus.ReceivedBySeller, null, ReturnAction.RejectRefund, ReturnStatus.RejectedAfterReceipt),
        new(ReturnStatus.RejectedAfterReceipt, null, ReturnAction.OpenDispute, ReturnStatus.DisputeOpened),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.DecideDispute, ReturnStatus.Refund, DisputeStage.Receipt, Side: DisputeSide.Customer),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.DecideDispute, ReturnStatus.RejectedByOzon, DisputeStage.Receipt, Side: DisputeSide.Seller),
        new(ReturnStatus.DisputeOpened, null, ReturnAction.ReplyToDispute, ReturnStatus.DisputeOpened, DisputeStage.Receipt),
    ];

    /// <summary>Every position a request can be in, for checking that what no row lists leads nowhere.</summary>
    private static readonly ReturnPosition[] Positions =
    [
        .. Enum.GetValues<ReturnProcessor>().SelectMany(by => Enum.GetValues<ReturnStatus>()
            .Where(s => s != ReturnStatus.DisputeOpened)
            .Select(s => At(s, by))
            .Concat(
            [
                At(ReturnStatus.DisputeOpened, by, DisputeStage.Request),
                At(ReturnStatus.DisputeOpened, by, DisputeStage.Transit),
                At(ReturnStatus.DisputeOpened, by, DisputeStage.Transit, arrived: true),
                At(ReturnStatus.DisputeOpened, by, DisputeStage.Receipt),
            ])),
    ];

    /// <summary>The decision side's actions: the seller's, or a moderator's for a pre-moderated seller; never the marketplace's.</summary>
    private static IEnumerable<Row> DecisionRows(ReturnStatus status) =>
        from processor in (ReturnProcessor[])[ReturnProcessor.Seller, ReturnProcessor.Moderator]
        from row in (Row[])
        [
            new(status, processor, ReturnAction.Approve, ReturnStatus.Approved),
            new(status, processor, ReturnAction.Reject, ReturnStatus.RejectedBySeller),
            new(status, processor, ReturnAction.OfferCompensation, ReturnStatus.PartialCompensationOffered),
        ]
        select row;

    public static TheoryData<ReturnStatus, ReturnProcessor?, DisputeStage?, bool, ReturnAction, DisputeSide?, ReturnStatus> ActionRows()
    {
        var data = new TheoryData<ReturnStatus, ReturnProcessor?, DisputeStage?, bool, ReturnAction, DisputeSide?, ReturnStatus>();
        foreach (var row in Rows)
        {
            data.Add(row.Status, row.By, row.Stage, row.Arrived, row.Action, row.Side, row.Target);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActionRows))]
    public void An_action_row_leads_to_its_status_for_the_party_the_table_names(
        ReturnStatus status, ReturnProcessor? by, DisputeStage? stage, bool arrived, ReturnAction action, DisputeSide? side, ReturnStatus target)
    {
        foreach (var processor in by is { } one ? [one] : Enum.GetValues<ReturnProcessor>())
        {
            var at = new ReturnPosition(status, processor, stage, arrived);

            Assert.Equal(target, ReturnWorkflow.Target(at, action, side));
            var performer = ReturnWorkflow.Performer(action, processor);
            Assert.NotNull(performer);
            Assert.True(ReturnWorkflow.MayAct(at, action, performer.Value));
            Assert.Contains(action, ReturnWorkflow.AllowedActions(at)[performer.Value]);
        }
    }

    [Fact]
    public void Every_action_no_row_lists_leads_nowhere_and_is_offered_to_nobody()
    {
        var unexpected = new List<string>();
        foreach (var at in Positions)
        {
            foreach (var action in Enum.GetValues<ReturnAction>().Where(a => a != ReturnAction.Message))
            {
                foreach (var side in (DisputeSide?[])[null, DisputeSide.Customer, DisputeSide.Seller])
                {
                    var listed = Rows.Any(r => r.Status == at.Status && (r.By ?? at.ProcessedBy) == at.ProcessedBy && r.Stage == at.DisputeStage
                        && r.Arrived == at.Arrived && r.Action == action && r.Side == (action == ReturnAction.DecideDispute ? side : null));
                    if (!listed && ReturnWorkflow.Target(at, action, side) is { } target)
                    {
                        unexpected.Add($"{at} {action} {side} -> {target}");
                    }
                }

                var offered = Enum.GetValues<ReturnActorRole>().Where(role => ReturnWorkflow.MayAct(at, action, role)).ToList();
                var anyRow = Rows.Any(r => r.Status == at.Status && (r.By ?? at.ProcessedBy) == at.ProcessedBy && r.Stage == at.DisputeStage
                    && r.Arrived == at.Arrived && r.Action == action);
                if (offered.Count != (anyRow ? 1 : 0))
                {
                    unexpected.Add($"{at} {action} offered to [{string.Join(", ", offered)}]");
                }
            }
        }

        Assert.Empty(unexpected);
    }

    [Fact]
    public void The_chat_is_open_to_the_three_parties_until_the_request_ends_and_only_the_decision_sides_first_message_changes_status()
    {
        foreach (var status in Enum.GetValues<ReturnStatus>())
        {
            var open = !ReturnWorkflow.IsTerminal(status);
            foreach (var role in Enum.GetValues<ReturnActorRole>())
            {
                Assert.Equal(open && role is ReturnActorRole.Customer or ReturnActorRole.Seller or ReturnActorRole.Moderator,
                    ReturnWorkflow.CanMessage(status, role));
            }

            var expected = status == ReturnStatus.New ? ReturnStatus.AwaitingClarificationWithSeller : open ? status : (ReturnStatus?)null;
            Assert.Equal(expected, ReturnWorkflow.Target(At(status), ReturnAction.Message));
        }
    }

    [Theory]
    [InlineData(ReturnStatus.PartialCompensationApproved)]
    [InlineData(ReturnStatus.Overdue)]
    [InlineData(ReturnStatus.RejectedDisputeNotOpened)]
    [InlineData(ReturnStatus.RejectedByOzon)]
    [InlineData(ReturnStatus.CanceledByCustomer)]
    [InlineData(ReturnStatus.CanceledDueToCustomerInaction)]
    [InlineData(ReturnStatus.RejectedByMutualConsent)]
    [InlineData(ReturnStatus.Refund)]
    public void A_terminal_status_has_no_action_no_deadline_and_nobody_next(ReturnStatus status)
    {
        var at = At(status);

        Assert.True(ReturnWorkflow.IsTerminal(status));
        Assert.Empty(ReturnWorkflow.AllowedActions(at));
        Assert.Null(ReturnWorkflow.TimeoutTarget(at));
        Assert.Null(ReturnWorkflow.NextActor(at));
        Assert.Null(ReturnWorkflow.DueAt(at, Entered, Created, Shipped, Arrived, Options));
    }

    public static TheoryData<ReturnStatus, ReturnProcessor, DisputeStage?, bool, ReturnStatus?, ReturnActorRole?, string, int?> WaitingRows() => new()
    {
        // status, processor, stage, arrived, on timeout, next actor, deadline counted from, days
        { ReturnStatus.New, ReturnProcessor.Seller, null, false, ReturnStatus.Approved, ReturnActorRole.Seller, "entered", 1 },
        { ReturnStatus.New, ReturnProcessor.Moderator, null, false, ReturnStatus.Approved, ReturnActorRole.Moderator, "entered", 1 },
        { ReturnStatus.AwaitingClarificationWithSeller, ReturnProcessor.Seller, null, false, ReturnStatus.Approved, ReturnActorRole.Seller, "created", 3 },
        { ReturnStatus.AwaitingClarificationWithSeller, ReturnProcessor.Moderator, null, false, ReturnStatus.Approved, ReturnActorRole.Moderator, "created", 3 },
        { ReturnStatus.PartialCompensationOffered, ReturnProcessor.Seller, null, false, ReturnStatus.AwaitingClarification, ReturnActorRole.Customer, "entered", 3 },
        { ReturnStatus.PartialCompensationOffered, ReturnProcessor.Moderator, null, false, ReturnStatus.AwaitingClarification, ReturnActorRole.Customer, "entered", 3 },
        { ReturnStatus.PartialCompensationOffered, ReturnProcessor.Marketplace, null, false, ReturnStatus.Approved, ReturnActorRole.Customer, "entered", 3 },
        { ReturnStatus.AwaitingClarification, ReturnProcessor.Seller, null, false, ReturnStatus.Approved, ReturnActorRole.Seller, "entered", 3 },
        { ReturnStatus.Approved, ReturnProcessor.Seller, null, false, ReturnStatus.Overdue, ReturnActorRole.Customer, "entered", 4 },
        { ReturnStatus.Approved, ReturnProcessor.Marketplace, null, false, ReturnStatus.Overdue, ReturnActorRole.Customer, "entered", 4 },
        { ReturnStatus.RejectedBySeller, ReturnProcessor.Seller, null, false, ReturnStatus.RejectedDisputeNotOpened, ReturnActorRole.Customer, "entered", 5 },
        { ReturnStatus.DisputeOpened, ReturnProcessor.Seller, DisputeStage.Request, false, ReturnStatus.Approved, ReturnActorRole.Seller, "entered", 3 },
        { ReturnStatus.ReturnOnTheWay, ReturnProcessor.Seller, null, false, ReturnStatus.DisputeOpened, ReturnActorRole.Seller, "shipped", 31 },
        { ReturnStatus.DisputeOpened, ReturnProcessor.Seller, DisputeStage.Transit, false, null, ReturnActorRole.Moderator, "none", null },
        { ReturnStatus.DisputeOpened, ReturnProcessor.Seller, DisputeStage.Transit, true, ReturnStatus.Refund, ReturnActorRole.Seller, "arrived", 3 },
        { ReturnStatus.ReceivedBySeller, ReturnProcessor.Seller, null, false, ReturnStatus.Refund, ReturnActorRole.Seller, "entered", 7 },
        { ReturnStatus.RejectedAfterReceipt, ReturnProcessor.Seller, null, false, ReturnStatus.RejectedByMutualConsent, ReturnActorRole.Customer, "entered", 5 },
        { ReturnStatus.DisputeOpened, ReturnProcessor.Seller, DisputeStage.Receipt, false, ReturnStatus.Refund, ReturnActorRole.Seller, "entered", 3 },
    };

    [Theory]
    [MemberData(nameof(WaitingRows))]
    public void A_waiting_status_has_its_deadline_its_timeout_target_and_its_next_actor(
        ReturnStatus status, ReturnProcessor by, DisputeStage? stage, bool arrived, ReturnStatus? onTimeout, ReturnActorRole? next,
        string from, int? days)
    {
        var at = new ReturnPosition(status, by, stage, arrived);
        DateTimeOffset? start = from switch
        {
            "entered" => Entered,
            "created" => Created,
            "shipped" => Shipped,
            "arrived" => Arrived,
            _ => null,
        };

        Assert.False(ReturnWorkflow.IsTerminal(status));
        Assert.Equal(onTimeout, ReturnWorkflow.TimeoutTarget(at));
        Assert.Equal(next, ReturnWorkflow.NextActor(at));
        Assert.Equal(start + (days is { } d ? TimeSpan.FromDays(d) : null), ReturnWorkflow.DueAt(at, Entered, Created, Shipped, Arrived, Options));
    }

    /// <summary>
    /// RULES §1, DisputeOpened: the seller answers; unanswered by the deadline, the dispute is decided for the customer;
    /// answered, there is no automatic decision — moderators are next, overdue three days after the answer — and the seller
    /// cannot answer twice.
    /// </summary>
    [Theory]
    [InlineData(DisputeStage.Request, false)]
    [InlineData(DisputeStage.Transit, true)]
    [InlineData(DisputeStage.Receipt, false)]
    public void An_answered_dispute_is_never_decided_by_its_deadline_and_waits_for_moderators(DisputeStage stage, bool arrived)
    {
        var answeredAt = Entered.AddDays(1);
        var answered = new ReturnPosition(ReturnStatus.DisputeOpened, ReturnProcessor.Seller, stage, arrived, Answered: true);

        Assert.Null(ReturnWorkflow.TimeoutTarget(answered));
        Assert.Equal(ReturnActorRole.Moderator, ReturnWorkflow.NextActor(answered));
        Assert.Equal(answeredAt.AddDays(3), ReturnWorkflow.DueAt(answered, Entered, Created, Shipped, Arrived, Options, answeredAt));
        Assert.Null(ReturnWorkflow.Target(answered, ReturnAction.ReplyToDispute));
        Assert.NotNull(ReturnWorkflow.Target(answered, ReturnAction.DecideDispute, DisputeSide.Seller));
        Assert.False(ReturnWorkflow.AwaitsSellerAnswer(answered));
        Assert.True(ReturnWorkflow.AwaitsSellerAnswer(answered with { Answered = false }));
    }

    [Fact]
    public void Deadlines_follow_the_options()
    {
        var options = new ReturnsOptions();
        options.Deadlines.New = TimeSpan.FromHours(2);
        options.Transit.AutoDisputeAfter = TimeSpan.FromDays(40);

        Assert.Equal(Entered.AddHours(2), ReturnWorkflow.DueAt(At(ReturnStatus.New), Entered, Created, null, null, options));
        Assert.Equal(Shipped.AddDays(40), ReturnWorkflow.DueAt(At(ReturnStatus.ReturnOnTheWay), Entered, Created, Shipped, null, options));
    }

    [Fact]
    public void A_transit_dispute_decided_after_a_late_arrival_counts_the_moderator_deadline_from_the_later_of_opening_and_arrival()
    {
        var at = At(ReturnStatus.DisputeOpened, stage: DisputeStage.Transit, arrived: true);
        var early = Entered.AddDays(-1);

        Assert.Equal(Entered.AddDays(3), ReturnWorkflow.DueAt(at, Entered, Created, Shipped, early, Options));
    }

    [Theory]
    [InlineData(ReturnProcessor.Seller, ReturnActorRole.Seller)]
    [InlineData(ReturnProcessor.Moderator, ReturnActorRole.Moderator)]
    [InlineData(ReturnProcessor.Marketplace, null)]
    public void The_decision_side_is_the_seller_or_a_moderator_and_nobody_for_the_marketplace(ReturnProcessor by, ReturnActorRole? side)
    {
        Assert.Equal(side, ReturnWorkflow.DecisionSide(by));
        foreach (var action in (ReturnAction[])[ReturnAction.Approve, ReturnAction.Reject, ReturnAction.OfferCompensation])
        {
            Assert.Equal(side, ReturnWorkflow.Performer(action, by));
            Assert.Equal(side is not null, ReturnWorkflow.Target(At(ReturnStatus.New, by), action) is not null);
        }

        Assert.Equal(ReturnActorRole.Seller, ReturnWorkflow.Performer(ReturnAction.ConfirmReceived, by));
        Assert.Equal(ReturnActorRole.Customer, ReturnWorkflow.Performer(ReturnAction.Ship, by));
        Assert.Equal(ReturnActorRole.Moderator, ReturnWorkflow.Performer(ReturnAction.DecideDispute, by));
    }

    [Theory]
    [InlineData(ReturnStatus.RejectedBySeller, DisputeStage.Request)]
    [InlineData(ReturnStatus.ReturnOnTheWay, DisputeStage.Transit)]
    [InlineData(ReturnStatus.RejectedAfterReceipt, DisputeStage.Receipt)]
    [InlineData(ReturnStatus.Approved, null)]
    public void A_dispute_belongs_to_the_stage_it_was_opened_in(ReturnStatus from, DisputeStage? stage) =>
        Assert.Equal(stage, ReturnWorkflow.DisputeStageFrom(from));
}
