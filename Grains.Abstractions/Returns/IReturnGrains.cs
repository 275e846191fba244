namespace OzonActors.Returns;

/// <summary>A delivered order (key: the marketplace's order id) and the quantities of its lines already in returns.</summary>
public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Records the order; a replay of the same order changes nothing, a different one under the same id is a 409.</summary>
    /// <returns>True when this call recorded it.</returns>
    Task<bool> RecordAsync(DeliveredOrder order);

    /// <summary>The order, or null when it was never recorded.</summary>
    Task<OrderView?> FindAsync();

    /// <summary>
    /// Holds <paramref name="quantity"/> of a line for a return (idempotent per return id) and returns the order. The hold is
    /// pending until <see cref="ConfirmReturnAsync"/>; a pending hold whose request was never written is given back within
    /// a minute or so (the order asks the request, by a reminder).
    /// </summary>
    Task<OrderView> ReserveReturnAsync(Guid returnId, Guid customerId, string lineId, int quantity);

    /// <summary>The return's request was written: its hold stays until the request ends. Idempotent.</summary>
    Task ConfirmReturnAsync(Guid returnId);

    /// <summary>Gives back what a return held (it ended without the item going back); idempotent.</summary>
    Task ReleaseReturnAsync(Guid returnId);
}

/// <summary>One return request: its status, deadlines, offers, chat and history.</summary>
public interface IReturnRequestGrain : IGrainWithGuidKey
{
    /// <summary>Creates the request for a customer's delivered order line.</summary>
    Task<ReturnRequestView> CreateAsync(Guid customerId, CreateReturn request);

    /// <summary>Whether the request was written (its order's pending hold is then its own).</summary>
    Task<bool> ExistsAsync();

    /// <summary>The request as <paramref name="viewer"/> may see it; 404 for anyone not party to it.</summary>
    Task<ReturnRequestView> GetAsync(ReturnActor viewer);

    /// <summary>Applies an action: 409 naming the status when it is not allowed now, 404 for anyone not party to it.</summary>
    Task<ReturnRequestView> ActAsync(ReturnCommand command);
}

/// <summary>A seller's return settings (key: the company id).</summary>
public interface ISellerReturnSettingsGrain : IGrainWithGuidKey
{
    /// <summary>The settings; defaults for a seller never configured.</summary>
    Task<SellerReturnSettings> GetAsync();

    /// <summary>Moderators turn pre-moderation of the seller's new requests on or off.</summary>
    Task<SellerReturnSettings> SetPreModeratedAsync(bool preModerated, Guid moderatorId);
}

/// <summary>
/// The grain indexes (lists written with each grain's state) of the returns program; their rows are
/// <see cref="ReturnSummary"/> or <see cref="OrderView"/> JSON.
/// </summary>
public static class ReturnIndexes
{
    /// <summary>A seller's requests, partitioned by seller id, tagged by status, sorted by creation.</summary>
    public const string SellerReturns = "seller-returns";

    /// <summary>A customer's requests, partitioned by Ozon ID, tagged by status, sorted by creation.</summary>
    public const string CustomerReturns = "customer-returns";

    /// <summary>
    /// The seller's requests while the seller acts next (<see cref="ReturnSummary.NextActor"/> is
    /// <see cref="ReturnActorRole.Seller"/>): partitioned by seller id, tagged by status, sorted by creation, like
    /// <see cref="SellerReturns"/>. A request leaves it in the write where someone else becomes next.
    /// </summary>
    public const string SellerReturnsToAct = "seller-returns-to-act";

    /// <summary>A customer's delivered orders, partitioned by Ozon ID, sorted by delivery.</summary>
    public const string CustomerOrders = "customer-orders";
}
