using OzonActors.Gateway.Auth;

namespace OzonActors.Gateway.Live;

/// <summary>
/// The hub groups a token allows. Group names are event audiences as grains emit them (<c>seller:{companyId}</c>,
/// <c>customer:{ozonId}</c>, ...), so an event goes to the groups named by its audiences.
/// </summary>
public static class LiveGroups
{
    public const string Moderators = "moderators";

    public static string Seller(Guid companyId) => $"seller:{companyId}";

    public static string Customer(Guid ozonId) => $"customer:{ozonId}";

    public static string Manager(Guid ozonId) => $"manager:{ozonId}";

    /// <summary>
    /// A token scoped to a company sees that company's seller events only; an unscoped token sees its own customer
    /// and referral-manager events; a moderator also sees the moderation queue.
    /// </summary>
    public static IReadOnlyList<string> For(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var groups = new List<string>(3);
        if (caller.CompanyId is { } companyId)
        {
            groups.Add(Seller(companyId));
        }
        else
        {
            groups.Add(Customer(caller.OzonId));
            groups.Add(Manager(caller.OzonId));
        }

        if (caller.IsModerator)
        {
            groups.Add(Moderators);
        }

        return groups;
    }
}
