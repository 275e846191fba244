namespace OzonActors.Gateway.Auth;

/// <summary>Authorization policy names.</summary>
public static class Policies
{
    /// <summary>Any logged-in Ozon ID (the customer side).</summary>
    public const string Customer = nameof(Customer);

    /// <summary>A token scoped to a seller company and role.</summary>
    public const string Seller = nameof(Seller);

    /// <summary>An Ozon ID whose phone is listed in <c>OzonId:Moderators</c>.</summary>
    public const string Moderator = nameof(Moderator);

    /// <summary>The marketplace's own systems, by <c>X-Api-Key</c>.</summary>
    public const string Internal = nameof(Internal);
}
