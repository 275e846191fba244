namespace OzonActors;

/// <summary>
/// Who may see a live event. Grains emit events to these audiences; a gateway sends each event to the SignalR groups
/// of the same names. The values are on the wire (event rows, hub groups): never change one.
/// </summary>
public static class LiveAudiences
{
    /// <summary>Every reviewer of the moderation queue.</summary>
    public const string Moderators = "moderators";

    /// <summary>Every employee of a seller company: <c>seller:{companyId}</c>.</summary>
    public static string Seller(Guid companyId) => $"seller:{companyId}";

    /// <summary>A customer, by Ozon ID: <c>customer:{ozonId}</c>.</summary>
    public static string Customer(Guid ozonId) => $"customer:{ozonId}";

    /// <summary>A referral manager, by Ozon ID: <c>manager:{ozonId}</c>.</summary>
    public static string Manager(Guid ozonId) => $"manager:{ozonId}";

    /// <summary>Whoever follows one return request: <c>return:{returnId}</c> (also the request's event stream).</summary>
    public static string Return(Guid returnId) => $"return:{returnId}";
}
