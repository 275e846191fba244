using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OzonActors.Grains.Returns;
using OzonActors.Returns;
using OzonActors.Persistence;
using Orleans;
using Orleans.Runtime;
using OzonActors.Persistence.Storage;
using OzonActors.Testing;

namespace OzonActors.Grains.Tests;

/// <summary>
/// The marketplace's grains on an in-process cluster with a fake clock, one customer, one seller (with an employee)
/// and one moderator, and the steps that take a request anywhere in the stage tables through the public grain API.
/// </summary>
public sealed class ReturnsHarness : IAsyncDisposable
{
    /// <summary>Above the marketplace's 1,800 RUB: the seller decides.</summary>
    public const decimal SellerPrice = 10_000m;

    public const string LineId = "line-1";

    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private int _orders;

    private ReturnsHarness(TestCluster cluster) => Cluster = cluster;

    public TestCluster Cluster { get; private set; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public DateTimeOffset Now => Cluster.Time.GetUtcNow();

    public Guid CustomerId { get; } = Guid.NewGuid();

    public Guid SellerId { get; } = Guid.NewGuid();

    public Guid SellerAccountId { get; } = Guid.NewGuid();

    public Guid ModeratorId { get; } = Guid.NewGuid();

    public ReturnActor Customer => ReturnActor.Customer(CustomerId);

    public ReturnActor Seller => ReturnActor.Seller(SellerId, SellerAccountId);

    public ReturnActor Moderator => ReturnActor.Moderator(ModeratorId);

    /// <summary>Starts a cluster on PostgreSQL (<paramref name="connectionString"/>) or in memory, with <c>Returns</c> options.</summary>
    public static async Task<ReturnsHarness> StartAsync(string? connectionString = null, IDictionary<string, string?>? settings = null)
    {
        var cluster = await TestCluster.StartAsync(options =>
        {
            options.ConnectionString = connectionString;
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                options.Configuration[key] = value;
            }
        });
        return new ReturnsHarness(cluster);
    }

    /// <summary>Stops the runtime; <see cref="StartAgainAsync"/> starts a new one on the same storage and clock.</summary>
    public Task StopAsync() => Cluster.DisposeAsync().AsTask();

    public async Task StartAgainAsync() => Cluster = await TestCluster.StartAsync(Cluster.Options);

    public Task AdvanceAsync(TimeSpan delta) => Cluster.AdvanceTimeAsync(delta);

    /// <summary>Moves the clock to <paramref name="instant"/>, firing what falls due on the way.</summary>
    public Task AdvanceToAsync(DateTimeOffset instant) => Cluster.AdvanceTimeAsync(instant - Now);

    /// <summary>Records a delivered order of one line and returns its id.</summary>
    public async Task<string> DeliverAsync(
        decimal price = SellerPrice, int quantity = 1, ProductCategory category = ProductCategory.Other, TimeSpan? deliveredAgo = null,
        bool technicallyComplex = false, int? warrantyDays = null, bool crossBorder = false, Guid? customerId = null, Guid? sellerId = null)
    {
        var orderId = $"order-{Guid.NewGuid():N}-{Interlocked.Increment(ref _orders)}";
        var order = new DeliveredOrder(orderId, customerId ?? CustomerId, sellerId ?? SellerId, Now - (deliveredAgo ?? Day), crossBorder,
            [new OrderLine(LineId, "product-1", "Kettle", category, price, quantity, technicallyComplex, warrantyDays)]);
        Assert.True(await Grains.GetGrain<IOrderGrain>(orderId).RecordAsync(order));
        return orderId;
    }

    public static CreateReturn Claim(
        string orderId, int quantity = 1, ReturnQuality quality = ReturnQuality.Improper, string reason = "The lid is cracked",
        IReadOnlyList<string>? photos = null) =>
        new(orderId, LineId, quantity, reason, quality, photos ?? ["https://photos.example/lid.jpg"], "Arrived like this");

    public IReturnRequestGrain Request(Guid id) => Grains.GetGrain<IReturnRequestGrain>(id);

    /// <summary>Creates a request for <paramref name="claim"/> under a new id.</summary>
    public Task<ReturnRequestView> CreateAsync(CreateReturn claim, Guid? customerId = null) =>
        Request(Guid.NewGuid()).CreateAsync(customerId ?? CustomerId, claim);

    /// <summary>Delivers an order of one line and creates a request for it.</summary>
    public async Task<ReturnRequestView> NewRequestAsync(decimal price = SellerPrice, int quantity = 1)
    {
        var orderId = await DeliverAsync(price, quantity);
        return await CreateAsync(Claim(orderId, quantity));
    }

    public Task<ReturnRequestView> GetAsync(Guid id, ReturnActor? viewer = null) => Request(id).GetAsync(viewer ?? Customer);

    /// <summary>
    /// A command for <paramref name="action"/> by the party the table names (the seller decides unless told), with
    /// valid arguments for it.
    /// </summary>
    public ReturnCommand Command(ReturnAction action, ReturnActor? by = null) => new(action, by ?? PerformerOf(action))
    {
        Amount = action == ReturnAction.OfferCompensation ? 1_000m : null,
        Reason = action is ReturnAction.Reject or ReturnAction.RejectRefund ? "Not as described" : null,
        Text = action switch
        {
            ReturnAction.Message => "Could you send one more photo?",
            ReturnAction.ReplyToDispute => "The item was used: see the scratches in photo 2.",
            _ => null,
        },
        TrackingNumber = action == ReturnAction.Ship ? "RA123456789RU" : null,
        Topic = action == ReturnAction.OpenDispute ? "I disagree" : null,
        InFavorOf = action == ReturnAction.DecideDispute ? DisputeSide.Customer : null,
    };

    public Task<ReturnRequestView> ActAsync(Guid id, ReturnAction action, ReturnActor? by = null) =>
        Request(id).ActAsync(Command(action, by));

    public Task<ReturnRequestView> ActAsync(Guid id, ReturnCommand command) => Request(id).ActAsync(command);

    public Task<ReturnRequestView> DecideAsync(Guid id, DisputeSide side) =>
        Request(id).ActAsync(Command(ReturnAction.DecideDispute) with { InFavorOf = side });

    public ReturnActor PerformerOf(ReturnAction action) => action switch
    {
        ReturnAction.AcceptCompensation or ReturnAction.RefuseCompensation or ReturnAction.Cancel or ReturnAction.Ship
            or ReturnAction.OpenDispute => Customer,
        ReturnAction.DecideDispute => Moderator,
        _ => Seller,
    };

    /// <summary>
    /// A new request driven into <paramref name="spot"/> through the grain API; the clock moves only where the table
    /// needs time (a passed deadline, 14 days in transit).
    /// </summary>
    public async Task<ReturnRequestView> IntoAsync(Spot spot)
    {
        if (spot == Spot.MarketplaceOffer)
        {
            return await NewRequestAsync(price: 1_000m);
        }

        var request = await NewRequestAsync();
        var id = request.Id;
        foreach (var step in StepsTo(spot))
        {
            request = step.Wait is { } wait
                ? await WaitAsync(id, wait)
                : await ActAsync(id, step.Action == ReturnAction.DecideDispute
                    ? Command(ReturnAction.DecideDispute) with { InFavorOf = DisputeSide.Seller }
                    : Command(step.Action));
        }

        Assert.Equal(Table.StatusOf(spot), request.Status);
        Assert.Equal(Table.StageOf(spot), request.DisputeStage);
        return request;
    }

    /// <summary>Runs <paramref name="call"/> and checks it fails with a domain error of <paramref name="kind"/> and <paramref name="code"/>.</summary>
    public static async Task<DomainException> FailsAsync(DomainErrorKind kind, string code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<DomainException>(call);
        Assert.Equal((kind, code), (error.Kind, error.Code));
        return error;
    }

    /// <summary>The request as committed to storage, read without calling (and so without waking) its grain.</summary>
    public async Task<ReturnRequestState> StoredAsync(Guid id)
    {
        var stored = await Cluster.Services.GetRequiredService<IGrainStorage>().ReadAsync(GrainIdOf(id), default);
        Assert.NotNull(stored);
        return JsonSerializer.Deserialize<ReturnRequestState>(stored.Json, GrainJson.Options)!;
    }

    /// <summary>The names of the request's registered Orleans reminders.</summary>
    public async Task<IReadOnlyList<string>> RemindersAsync(Guid id) =>
        [.. (await Cluster.Services.GetRequiredService<IReminderTable>().ReadRows(Request(id).GetGrainId())).Reminders.Select(r => r.ReminderName)];

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();

    private static StateKey GrainIdOf(Guid id) => new("return-request", id.ToString("D"));

    private async Task<ReturnRequestView> WaitAsync(Guid id, TimeSpan wait)
    {
        await AdvanceAsync(wait);
        return await GetAsync(id);
    }

    /// <summary>The steps from a new seller-processed request to <paramref name="spot"/>: an action, or a wait.</summary>
    private static IEnumerable<(ReturnAction Action, TimeSpan? Wait)> StepsTo(Spot spot)
    {
        static (ReturnAction, TimeSpan?) Do(ReturnAction action) => (action, null);
        static (ReturnAction, TimeSpan?) Wait(double days) => (default, TimeSpan.FromDays(days));

        IEnumerable<(ReturnAction, TimeSpan?)> steps = spot switch
        {
            Spot.New => [],
            Spot.AwaitingClarificationWithSeller => [Do(ReturnAction.Message)],
            Spot.PartialCompensationOffered => [Do(ReturnAction.OfferCompensation)],
            Spot.AwaitingClarification => [.. StepsTo(Spot.PartialCompensationOffered), Do(ReturnAction.RefuseCompensation)],
            Spot.PartialCompensationApproved => [.. StepsTo(Spot.PartialCompensationOffered), Do(ReturnAction.AcceptCompensation)],
            Spot.Approved => [Do(ReturnAction.Approve)],
            Spot.RejectedBySeller => [Do(ReturnAction.Reject)],
            Spot.Overdue => [.. StepsTo(Spot.Approved), Wait(4)],
            Spot.RejectedDisputeNotOpened => [.. StepsTo(Spot.RejectedBySeller), Wait(5)],
            Spot.RequestDispute => [.. StepsTo(Spot.RejectedBySeller), Do(ReturnAction.OpenDispute)],
            Spot.RejectedByOzon => [.. StepsTo(Spot.RequestDispute), Do(ReturnAction.DecideDispute)],
            Spot.CanceledByCustomer => [Do(ReturnAction.Cancel)],
            Spot.ReturnOnTheWay => [.. StepsTo(Spot.Approved), Do(ReturnAction.Ship)],
            Spot.TransitDispute => [.. StepsTo(Spot.ReturnOnTheWay), Wait(14), Do(ReturnAction.OpenDispute)],
            Spot.TransitDisputeArrived => [.. StepsTo(Spot.TransitDispute), Do(ReturnAction.ConfirmReceived)],
            Spot.ReceivedBySeller => [.. StepsTo(Spot.ReturnOnTheWay), Do(ReturnAction.ConfirmReceived)],
            Spot.RejectedAfterReceipt => [.. StepsTo(Spot.ReceivedBySeller), Do(ReturnAction.RejectRefund)],
            Spot.RejectedByMutualConsent => [.. StepsTo(Spot.RejectedAfterReceipt), Wait(5)],
            Spot.ReceiptDispute => [.. StepsTo(Spot.RejectedAfterReceipt), Do(ReturnAction.OpenDispute)],
            Spot.Refund => [.. StepsTo(Spot.ReceivedBySeller), Do(ReturnAction.Refund)],
            _ => throw new ArgumentOutOfRangeException(nameof(spot), spot, null),
        };
        return steps;
    }
}
