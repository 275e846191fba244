using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OzonActors.Returns;
using OzonActors.Persistence;
using OzonActors.Persistence.Hosting;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.Returns;

/// <summary>
/// One return request. Every status change is one write with its deadline reminder, its live event and its rows in
/// the seller's and the customer's lists. A deadline that has passed is applied before anything else the request
/// does, so an action racing its timeout meets the status the timeout left, and each timeout is recorded once.
/// </summary>
[GrainType("return-request")]
public sealed class ReturnRequestGrain([DurableState("return-request")] IDurableState<ReturnRequestState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time, IOptions<ReturnsOptions> options)
    : DurableGrain<ReturnRequestState>(state, time), IReturnRequestGrain
{
    public const string SellerIndex = ReturnIndexes.SellerReturns;
    public const string CustomerIndex = ReturnIndexes.CustomerReturns;
    public const string SellerToActIndex = ReturnIndexes.SellerReturnsToAct;

    /// <summary>The same as <see cref="LiveEventTypes.ReturnStatusChanged"/>; bench/ reads it.</summary>
    public const string StatusChangedEvent = LiveEventTypes.ReturnStatusChanged;

    private const string DeadlineReminder = "deadline";
    private const string TransitWindowReminder = "transit-dispute-window";
    private const string ReleaseReminder = "release-quantity";
    private const int MaxMessages = 500;
    private const int MaxTimeoutsPerCatchUp = 20;

    private static readonly string[] CrossBorderNotes =
    [
        "Cross-border return: the seller pays VAT and customs duty for the export of the product.",
        "Marketplace couriers and pick-up points cannot be used to ship the product abroad.",
    ];

    private readonly ReturnsOptions _options = options.Value;
    private bool _changed;
    private List<ReturnStatus>? _transitions;

    private ReturnPosition Position => new(
        State.Status, State.ProcessedBy, State.DisputeStage, State.Arrived,
        Answered: State.Status == ReturnStatus.DisputeOpened && State.Dispute?.RepliedAt is not null);

    public async Task<ReturnRequestView> CreateAsync(Guid customerId, CreateReturn request)
    {
        if (State.Id != Guid.Empty)
        {
            throw DomainException.Conflict("return-exists", "This return request already exists.");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw DomainException.Invalid("reason-required", "A return request needs a reason.");
        }

        if (request.Photos is not { Count: > 0 } photos)
        {
            throw DomainException.Invalid("photos-required", "A return request needs at least one photo.");
        }

        if (photos.FirstOrDefault(photo => !IsWebAddress(photo)) is { } notAnAddress)
        {
            throw DomainException.Invalid("invalid-photo", $"A photo must be an http(s) address; '{notAnAddress}' is not.");
        }

        var now = TimeProvider.GetUtcNow();
        var orders = GrainFactory.GetGrain<IOrderGrain>(request.OrderId);
        var order = await orders.FindAsync();
        if (order is null || order.CustomerId != customerId)
        {
            throw DomainException.NotFound("order-not-found", $"You have no delivered order '{request.OrderId}'.");
        }

        var line = order.Lines.FirstOrDefault(l => l.LineId == request.LineId)
            ?? throw DomainException.NotFound("order-line-not-found", $"Order '{request.OrderId}' has no line '{request.LineId}'.");
        if (request.Quantity < 1 || request.Quantity > line.Quantity)
        {
            throw DomainException.Invalid("invalid-quantity",
                $"Line '{line.LineId}' has {line.Quantity} item(s); between 1 and {line.Quantity} can be returned, not {request.Quantity}.");
        }

        var eligibility = ReturnPolicy.Check(line.Category, request.Quality, order.DeliveredAt, line.WarrantyDays, line.TechnicallyComplex, now);
        if (!eligibility.Allowed)
        {
            throw eligibility.Basis == "not-returnable"
                ? DomainException.Conflict("not-returnable", $"{line.Category} products of proper quality cannot be returned.")
                : DomainException.Conflict("return-period-over",
                    $"The return period for {line.Category} products ({request.Quality} quality) delivered {order.DeliveredAt:u} is over.");
        }

        var settings = await GrainFactory.GetGrain<ISellerReturnSettingsGrain>(order.SellerId).GetAsync();
        var id = GetPrimaryKey();
        await orders.ReserveReturnAsync(id, customerId, line.LineId, request.Quantity);

        State.Id = id;
        State.OrderId = order.OrderId;
        State.LineId = line.LineId;
        State.ProductName = line.Name;
        State.Category = line.Category;
        State.TechnicallyComplex = line.TechnicallyComplex;
        State.SellerId = order.SellerId;
        State.CustomerId = customerId;
        State.Price = line.Price;
        State.Quantity = request.Quantity;
        State.Quality = request.Quality;
        State.Reason = request.Reason;
        State.Comment = request.Comment;
        State.Photos = [.. request.Photos];
        State.CrossBorder = order.CrossBorder;
        State.CreatedAt = now;
        State.ProcessedBy = line.Price <= _options.MarketplaceProcessingMaxPrice ? ReturnProcessor.Marketplace
            : settings.PreModerated ? ReturnProcessor.Moderator
            : ReturnProcessor.Seller;
        Enter(ReturnStatus.New, ReturnActor.Customer(customerId), "Create", null, now);

        if (State.ProcessedBy == ReturnProcessor.Marketplace)
        {
            var amount = decimal.Round(Amount * _options.MarketplaceCompensationShare, 2, MidpointRounding.AwayFromZero);
            if (OfferInBounds(amount))
            {
                State.Offers.Add(new CompensationOffer(amount, now, ReturnActorRole.Marketplace, OfferOutcome.Pending));
                Enter(ReturnStatus.PartialCompensationOffered, ReturnActor.Marketplace, "OfferCompensation", $"{amount} RUB", now);
            }
            else
            {
                Enter(ReturnStatus.Approved, ReturnActor.Marketplace, "Approve", "too cheap for a partial compensation", now);
            }
        }

        await CommitAsync();

        // The request is written: its hold is its own. If this call is lost, the order asks later (ExistsAsync).
        try
        {
            await orders.ConfirmReturnAsync(id);
        }
        catch (Exception exception) when (exception is not DomainException)
        {
            // Nothing to undo: the request exists, and the order's reminder confirms the hold.
        }

        return View();
    }

    public Task<bool> ExistsAsync() => Task.FromResult(State.Id != Guid.Empty && Version > 0);

    public async Task<ReturnRequestView> GetAsync(ReturnActor viewer)
    {
        EnsureParty(viewer);
        CatchUp();
        await CommitAsync();
        return View();
    }

    public async Task<ReturnRequestView> ActAsync(ReturnCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        EnsureParty(command.Actor);
        CatchUp();
        var now = TimeProvider.GetUtcNow();
        var role = command.Actor.Role;
        if (command.Action == ReturnAction.Message)
        {
            PostMessage(command, now);
        }
        else
        {
            var target = CheckAllowed(command, role, now);
            Apply(command, target, now);
        }

        await CommitAsync();
        return View();
    }

    protected override async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        if (State.Id == Guid.Empty)
        {
            return;
        }

        switch (name)
        {
            case TransitWindowReminder when State.Status == ReturnStatus.ReturnOnTheWay && !State.TransitDisputeOpen:
                State.TransitDisputeOpen = true;
                State.UpdatedAt = TimeProvider.GetUtcNow();
                _changed = true;
                Publish(LiveEventTypes.ReturnUpdated, from: null, ReturnActorRole.System);
                break;
            case ReleaseReminder when ReleasesQuantity(State.Status):
                await GrainFactory.GetGrain<IOrderGrain>(State.OrderId).ReleaseReturnAsync(State.Id);
                break;
        }

        CatchUp();
        await CommitAsync();
    }

    private decimal Amount => State.Price * State.Quantity;

    private static bool IsWebAddress(string photo) =>
        Uri.TryCreate(photo, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static bool ReleasesQuantity(ReturnStatus status) =>
        status is ReturnStatus.CanceledByCustomer or ReturnStatus.CanceledDueToCustomerInaction or ReturnStatus.Overdue;

    private static string Describe(ReturnAction action) => action switch
    {
        ReturnAction.OfferCompensation => "offer compensation on",
        ReturnAction.AcceptCompensation => "accept compensation on",
        ReturnAction.RefuseCompensation => "refuse compensation on",
        ReturnAction.OpenDispute => "open a dispute on",
        ReturnAction.ConfirmReceived => "confirm receipt of",
        ReturnAction.RejectRefund => "reject the refund of",
        ReturnAction.DecideDispute => "decide a dispute on",
        ReturnAction.ReplyToDispute => "answer the dispute on",
        _ => action.ToString().ToLowerInvariant(),
    };

    /// <summary>404 for anyone who is not the request's customer, its seller or a moderator: existence is not revealed.</summary>
    private void EnsureParty(ReturnActor actor)
    {
        var party = State.Id != Guid.Empty && actor.Role switch
        {
            ReturnActorRole.Customer => actor.Id == State.CustomerId,
            ReturnActorRole.Seller => actor.Id == State.SellerId,
            ReturnActorRole.Moderator => true,
            _ => false,
        };
        if (!party)
        {
            throw DomainException.NotFound("return-not-found", "No such return request.");
        }
    }

    private ReturnStatus CheckAllowed(ReturnCommand command, ReturnActorRole role, DateTimeOffset now)
    {
        var action = command.Action;
        var performer = ReturnWorkflow.Performer(action, State.ProcessedBy);
        if (performer is null)
        {
            throw DomainException.Conflict("invalid-transition",
                $"The marketplace processes this request automatically; nobody can {Describe(action)} it (status {State.Status}).");
        }

        if (performer != role)
        {
            throw DomainException.Forbidden("not-your-action", $"Only the {performer.Value.ToString().ToLowerInvariant()} can {Describe(action)} a request.");
        }

        var target = ReturnWorkflow.Target(Position, action, command.InFavorOf);
        if (target is null)
        {
            if (action == ReturnAction.DecideDispute && State.Status == ReturnStatus.DisputeOpened)
            {
                // In an open dispute a decision is refused only without a side, or for the seller while the parcel is
                // still on its way.
                throw command.InFavorOf is null
                    ? DomainException.Invalid("side-required", "Say whom the dispute is decided for: Customer or Seller.")
                    : DomainException.Conflict("dispute-awaits-arrival",
                        "The parcel is still in transit: a decision for the seller waits for its arrival.");
            }

            throw DomainException.Conflict("invalid-transition", $"Cannot {Describe(action)} a request in status {State.Status}.");
        }

        switch (action)
        {
            case ReturnAction.OfferCompensation when State.Offers.Count >= _options.MaxCompensationOffers:
                throw DomainException.Conflict("offer-limit", $"At most {_options.MaxCompensationOffers} compensation offers can be made per request.");
            case ReturnAction.OfferCompensation when command.Amount is not { } amount || !OfferInBounds(amount):
                throw DomainException.Invalid("invalid-amount",
                    $"An offer must be between {_options.MinCompensation} and {Amount - _options.MinCompensation} RUB, in kopecks at most.");
            case ReturnAction.Reject or ReturnAction.RejectRefund when string.IsNullOrWhiteSpace(command.Reason):
                throw DomainException.Invalid("reason-required", "A rejection needs a reason.");
            case ReturnAction.Reject when command.RequireServiceCenterConclusion && !State.TechnicallyComplex:
                throw DomainException.Invalid("conclusion-not-applicable", "A service-center conclusion can be required only for technically complex products.");
            case ReturnAction.ReplyToDispute when string.IsNullOrWhiteSpace(command.Text):
                throw DomainException.Invalid("text-required", "An answer to a dispute needs text.");
            case ReturnAction.Ship when string.IsNullOrWhiteSpace(command.TrackingNumber):
                throw DomainException.Invalid("tracking-number-required", "Shipping needs the parcel's tracking number.");
            case ReturnAction.OpenDispute when State.Status == ReturnStatus.ReturnOnTheWay
                && now < State.ShippedAt!.Value + _options.Transit.CustomerDisputeAfter:
                throw DomainException.Conflict("dispute-not-yet",
                    $"A \"Where is the refund\" dispute can be opened from {State.ShippedAt.Value + _options.Transit.CustomerDisputeAfter:u}.");
            case ReturnAction.Refund when command.DeliveryCost is { } cost
                && (cost < 0 || cost > _options.MaxDeliveryCost || decimal.Round(cost, 2) != cost):
                throw DomainException.Invalid("invalid-delivery-cost", $"Delivery cost must be between 0 and {_options.MaxDeliveryCost} RUB, in kopecks at most.");
        }

        return target.Value;
    }

    private bool OfferInBounds(decimal amount) =>
        amount >= _options.MinCompensation && amount <= Amount - _options.MinCompensation && decimal.Round(amount, 2) == amount;

    private void Apply(ReturnCommand command, ReturnStatus target, DateTimeOffset now)
    {
        string? note = null;
        switch (command.Action)
        {
            case ReturnAction.OfferCompensation:
                State.Offers.Add(new CompensationOffer(command.Amount!.Value, now, command.Actor.Role, OfferOutcome.Pending));
                note = $"{command.Amount} RUB";
                break;
            case ReturnAction.Reject:
            case ReturnAction.RejectRefund:
                State.Rejection = new ReturnRejection(command.Reason!.Trim(), command.RequireServiceCenterConclusion, now);
                note = State.Rejection.Reason;
                break;
            case ReturnAction.Ship:
                State.TrackingNumber = command.TrackingNumber!.Trim();
                State.ShippedAt = now;
                note = State.TrackingNumber;
                break;
            case ReturnAction.OpenDispute:
                note = command.Topic?.Trim();
                break;
            case ReturnAction.Refund:
                State.Refund = new ReturnRefund(Amount, command.DeliveryCost ?? 0, Amount + (command.DeliveryCost ?? 0), "Refund");
                break;
            case ReturnAction.DecideDispute:
                note = $"for the {command.InFavorOf!.Value.ToString().ToLowerInvariant()}";
                break;
            case ReturnAction.ReplyToDispute:
                // The seller answered: no automatic decision any more; moderators are overdue after DisputeModeratorOverdue.
                State.Dispute = State.Dispute! with { SellerReply = command.Text!.Trim(), RepliedAt = now };
                State.UpdatedAt = now;
                State.DueAt = ReturnWorkflow.DueAt(Position, State.EnteredAt, State.CreatedAt, State.ShippedAt, State.ReceivedAt, _options, now);
                SetDeadlineReminder();
                _changed = true;
                Publish(LiveEventTypes.ReturnUpdated, from: null, command.Actor.Role);
                return;
            case ReturnAction.ConfirmReceived when State.Status == ReturnStatus.DisputeOpened:
                // The parcel arrived during a transit dispute: the moderator's deadline starts now.
                State.Arrived = true;
                State.ReceivedAt = now;
                State.UpdatedAt = now;
                State.DueAt = ReturnWorkflow.DueAt(Position, State.EnteredAt, State.CreatedAt, State.ShippedAt, now, _options, State.Dispute?.RepliedAt);
                SetDeadlineReminder();
                _changed = true;
                Publish(LiveEventTypes.ReturnUpdated, from: null, command.Actor.Role);
                return;
        }

        Enter(target, command.Actor, command.Action.ToString(), note, now, topic: command.Topic, side: command.InFavorOf);
    }

    private void PostMessage(ReturnCommand command, DateTimeOffset now)
    {
        var role = command.Actor.Role;
        if (!ReturnWorkflow.CanMessage(State.Status, role))
        {
            throw DomainException.Conflict("invalid-transition", $"Cannot message on a request in status {State.Status}.");
        }

        if (string.IsNullOrWhiteSpace(command.Text))
        {
            throw DomainException.Invalid("text-required", "A message needs text.");
        }

        if (State.Messages.Count >= MaxMessages)
        {
            throw DomainException.Conflict("chat-full", $"A request's chat holds at most {MaxMessages} messages.");
        }

        var message = new ReturnMessage(role, command.Actor.Id, command.Text.Trim(), now);
        State.Messages.Add(message);
        State.UpdatedAt = now;
        _changed = true;
        Emit(Stream, LiveEventTypes.ReturnMessagePosted, new ReturnMessagePosted(State.Id, message), Audiences());

        // The decision side asking the customer something moves a new request to clarification, with 3 days from creation.
        if (State.Status == ReturnStatus.New && role == ReturnWorkflow.DecisionSide(State.ProcessedBy))
        {
            Enter(ReturnStatus.AwaitingClarificationWithSeller, command.Actor, "Message", null, now);
        }
        else
        {
            Publish(LiveEventTypes.ReturnUpdated, from: null, role);
        }
    }

    /// <summary>Applies every deadline that has passed, each at its own due instant, in order.</summary>
    private void CatchUp()
    {
        var now = TimeProvider.GetUtcNow();
        for (var i = 0; i < MaxTimeoutsPerCatchUp && State.DueAt is { } due && due <= now; i++)
        {
            if (Position.Answered)
            {
                // An answered dispute waits for moderators: past the mark, it is flagged overdue for them, once.
                State.Dispute = State.Dispute! with { OverdueForModerators = true };
                State.DueAt = null;
                State.UpdatedAt = due;
                SetDeadlineReminder();
                _changed = true;
                Publish(LiveEventTypes.ReturnUpdated, from: null, ReturnActorRole.System);
                return;
            }

            if (ReturnWorkflow.TimeoutTarget(Position) is not { } target)
            {
                return;
            }

            var opensDispute = target == ReturnStatus.DisputeOpened;
            var side = State.Status == ReturnStatus.DisputeOpened ? DisputeSide.Customer : (DisputeSide?)null;
            Enter(target, ReturnActor.System, "Timeout", $"{State.Status} deadline passed", due,
                topic: opensDispute ? "Where is the refund" : null, side: side);
        }
    }

    /// <summary>Moves to <paramref name="target"/> at <paramref name="at"/>: offers, disputes and refunds follow, then deadline, history, event and lists.</summary>
    private void Enter(
        ReturnStatus target, ReturnActor actor, string action, string? note, DateTimeOffset at,
        string? topic = null, DisputeSide? side = null)
    {
        var previous = State.History.Count == 0 ? (ReturnStatus?)null : State.Status;

        if (previous == ReturnStatus.PartialCompensationOffered && State.Offers.Count > 0 && State.Offers[^1].Outcome == OfferOutcome.Pending)
        {
            var outcome = target switch
            {
                ReturnStatus.PartialCompensationApproved => OfferOutcome.Accepted,
                ReturnStatus.CanceledByCustomer => OfferOutcome.Withdrawn,
                _ => actor.Role == ReturnActorRole.System ? OfferOutcome.Expired : OfferOutcome.Refused,
            };
            State.Offers[^1] = State.Offers[^1] with { Outcome = outcome };
            if (outcome == OfferOutcome.Accepted)
            {
                var amount = State.Offers[^1].Amount;
                State.Refund = new ReturnRefund(amount, 0, amount, "PartialCompensation");
            }
        }

        if (target == ReturnStatus.DisputeOpened && previous != ReturnStatus.DisputeOpened)
        {
            var stage = ReturnWorkflow.DisputeStageFrom(State.Status)!.Value;
            State.DisputeStage = stage;
            State.Arrived = false;
            State.Dispute = new ReturnDispute(stage, topic ?? "", at, actor.Role, null);
            ClearReminder(TransitWindowReminder);
        }
        else if (previous == ReturnStatus.DisputeOpened && State.Dispute is not null)
        {
            State.Dispute = State.Dispute with { DecidedFor = side ?? DisputeSide.Customer };
        }

        if (target == ReturnStatus.ReceivedBySeller)
        {
            State.ReceivedAt = at;
            ClearReminder(TransitWindowReminder);
        }

        if (target == ReturnStatus.Refund && State.Refund is null)
        {
            State.Refund = new ReturnRefund(Amount, 0, Amount, "Refund");
        }

        if (target == ReturnStatus.ReturnOnTheWay)
        {
            SetReminder(TransitWindowReminder, (State.ShippedAt ?? at) + _options.Transit.CustomerDisputeAfter);
        }

        if (ReleasesQuantity(target))
        {
            // Given back to the order by a reminder, so it happens even if this process stops right after the write.
            SetReminder(ReleaseReminder, at);
        }

        State.Status = target;
        if (target != ReturnStatus.DisputeOpened)
        {
            State.DisputeStage = null;
            State.Arrived = false;
        }

        State.EnteredAt = at;
        State.UpdatedAt = at;
        State.DueAt = ReturnWorkflow.DueAt(Position, at, State.CreatedAt, State.ShippedAt, State.ReceivedAt, _options);
        SetDeadlineReminder();
        State.History.Add(new ReturnHistoryEntry(target, at, actor.Role, actor.Id, actor.AccountId, action, note));
        (_transitions ??= []).Add(target);
        _changed = true;
        Publish(LiveEventTypes.ReturnStatusChanged, previous, actor.Role);
    }

    private void SetDeadlineReminder()
    {
        if (State.DueAt is { } due)
        {
            SetReminder(DeadlineReminder, due);
        }
        else
        {
            ClearReminder(DeadlineReminder);
        }
    }

    /// <summary>The request's stream, which is also the audience of whoever follows it.</summary>
    private string Stream => LiveAudiences.Return(State.Id);

    private List<string> Audiences()
    {
        var audiences = new List<string>(4) { LiveAudiences.Seller(State.SellerId), LiveAudiences.Customer(State.CustomerId), Stream };
        if (ReturnWorkflow.NextActor(Position) == ReturnActorRole.Moderator)
        {
            audiences.Add(LiveAudiences.Moderators);
        }

        return audiences;
    }

    /// <summary>Queues the live event for the state as it now is.</summary>
    private void Publish(string type, ReturnStatus? from, ReturnActorRole by)
    {
        var summary = Summary();
        object data = type == LiveEventTypes.ReturnStatusChanged ? new ReturnStatusChanged(summary, from, by) : summary;
        Emit(Stream, type, data, Audiences());
    }

    /// <summary>
    /// Writes the turn's changes with the request's rows in the seller's and the customer's lists, and in the seller's
    /// list of requests waiting for it while the seller acts next. Leaving that list is a removal in every write where
    /// someone else is next: it costs nothing where there is no row, and mends a row an older version left behind.
    /// </summary>
    private async Task CommitAsync()
    {
        if (!_changed)
        {
            return;
        }

        var summary = Summary();
        var tag = State.Status.ToString();
        SetIndexEntry(SellerIndex, State.SellerId.ToString(), tag, State.CreatedAt, summary);
        SetIndexEntry(CustomerIndex, State.CustomerId.ToString(), tag, State.CreatedAt, summary);
        if (summary.NextActor == ReturnActorRole.Seller)
        {
            SetIndexEntry(SellerToActIndex, State.SellerId.ToString(), tag, State.CreatedAt, summary);
        }
        else
        {
            RemoveIndexEntry(SellerToActIndex, State.SellerId.ToString());
        }

        var transitions = _transitions;
        _transitions = null;
        await WriteStateAsync();
        _changed = false;
        foreach (var status in transitions ?? [])
        {
            // Counted once committed: a failed write drops the turn's transitions with it.
            OzonMetrics.Transitions.Add(1, new("program", "returns"), new("status", status.ToString()));
        }

        if (ReleasesQuantity(State.Status))
        {
            try
            {
                await GrainFactory.GetGrain<IOrderGrain>(State.OrderId).ReleaseReturnAsync(State.Id);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The release reminder set with the status gives the quantity back later.
            }
        }
    }

    private IReadOnlyDictionary<ReturnActorRole, IReadOnlyList<ReturnAction>> Allowed()
    {
        var now = TimeProvider.GetUtcNow();
        var allowed = new Dictionary<ReturnActorRole, IReadOnlyList<ReturnAction>>();
        foreach (var (role, actions) in ReturnWorkflow.AllowedActions(Position))
        {
            var narrowed = actions.Where(action => action switch
            {
                ReturnAction.OfferCompensation => State.Offers.Count < _options.MaxCompensationOffers,
                ReturnAction.OpenDispute when State.Status == ReturnStatus.ReturnOnTheWay =>
                    now >= State.ShippedAt!.Value + _options.Transit.CustomerDisputeAfter,
                _ => true,
            }).ToArray();
            if (narrowed.Length > 0)
            {
                allowed[role] = narrowed;
            }
        }

        return allowed;
    }

    private ReturnSummary Summary() => new(
        State.Id, State.OrderId, State.LineId, State.ProductName, State.SellerId, State.CustomerId, State.Price, State.Quantity,
        State.Quality, State.Reason, State.Status, State.DisputeStage, ReturnWorkflow.NextActor(Position), State.DueAt,
        State.ProcessedBy, State.CreatedAt, State.UpdatedAt, State.TrackingNumber, State.Refund?.Total, Allowed(),
        State.Offers is [.., { Outcome: OfferOutcome.Pending } pending] ? pending.Amount : null);

    /// <summary>
    /// A snapshot: in-process calls hand results over as they are, so the lists are copied, never the state's own
    /// (a caller still reading one must not see, or trip over, this grain's later changes).
    /// </summary>
    private ReturnRequestView View() => new(
        State.Id, State.OrderId, State.LineId, State.ProductName, State.Category, State.SellerId, State.CustomerId,
        State.Price, State.Quantity, State.Quality, State.Reason, State.Comment, [.. State.Photos],
        State.Status, State.DisputeStage, ReturnWorkflow.NextActor(Position), State.DueAt, State.ProcessedBy,
        State.CreatedAt, State.UpdatedAt, [.. State.Offers], State.TrackingNumber, State.ShippedAt, State.ReceivedAt,
        State.CrossBorder, State.CrossBorder ? CrossBorderNotes : [], State.Rejection, State.Dispute, State.Refund,
        [.. State.History], [.. State.Messages], Allowed());
}
