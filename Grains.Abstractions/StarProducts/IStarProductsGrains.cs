namespace OzonActors.StarProducts;

/// <summary>A seller's membership in the Star Products program (key: the company id).</summary>
public interface ISellerLoyaltyGrain : IGrainWithGuidKey
{
    /// <summary>The seller's status now.</summary>
    Task<StarProductsStatus> GetAsync();

    /// <summary>Joins: 409 without a moderated product or when already connected.</summary>
    Task<StarProductsStatus> ConnectAsync(StarActor by);

    /// <summary>Leaves with a reason (400 without one); unused trial days are kept.</summary>
    Task<StarProductsStatus> DisconnectAsync(StarActor by, string reason);

    /// <summary>The last 12 months of connection changes, newest first; 403 while disconnected.</summary>
    Task<IReadOnlyList<StarConnectionEntry>> GetHistoryAsync();

    /// <summary>Analytics for 14, 21, 30 or 90 days; 409 before they open.</summary>
    Task<StarAnalytics> GetAnalyticsAsync(int days);

    /// <summary>The certificates of the last 12 months, newest first.</summary>
    Task<IReadOnlyList<StarCertificate>> GetCertificatesAsync();

    /// <summary>Records a program order once (by order id).</summary>
    Task<StarOrderRecorded> RecordOrderAsync(StarOrder order);

    /// <summary>Records product views; a view seen before changes nothing. Returns how many were program views.</summary>
    Task<int> RecordViewsAsync(IReadOnlyList<StarProductView> views);

    /// <summary>A product's moderation changed: applied once per <paramref name="change"/> number of that product.</summary>
    Task AdjustModeratedProductsAsync(string productId, long change, int delta);
}

/// <summary>A product (key: its id): its seller and whether it passed moderation.</summary>
public interface IStarProductGrain : IGrainWithStringKey
{
    /// <summary>Records the product's seller and moderation; a product never changes seller (409).</summary>
    Task SetAsync(Guid sellerId, bool moderated);

    /// <summary>The product's seller, or null for an unknown product.</summary>
    Task<Guid?> GetSellerAsync();
}
