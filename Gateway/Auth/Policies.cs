namespace OzonActors.Gateway.Auth;

/// <summary>Authorization policy names.</summary>
public static class Policies
{
    /// <summary>Any logged-in Ozon ID (the customer side).</summary>
    public const string Customer = nameof(Customer);

    /// <summary>
    /// The person's own side: an Ozon ID logged in by a phone code. A session opened by a seller account's email and
    /// password is not one (it opens that seller account only).
    /// </summary>
    public const string Person = nameof(Person);

    /// <summary>A token scoped to a seller company and role.</summary>
    public const string Seller = nameof(Seller);

    /// <summary>An Ozon ID whose phone is listed in <c>OzonId:Moderators</c>.</summary>
    public const string Moderator = nameof(Moderator);

    /// <summary>The marketplace's own systems, by <c>X-Api-Key</c>.</summary>
    public const string Internal = nameof(Internal);
}
