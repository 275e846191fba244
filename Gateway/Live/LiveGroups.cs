using OzonActors.Gateway.Auth;

namespace OzonActors.Gateway.Live;

/// <summary>
/// The hub groups a token allows. Group names are the <see cref="LiveAudiences"/> grains emit events to, so an event goes
/// to the groups named by its audiences.
/// </summary>
public static class LiveGroups
{
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
            groups.Add(LiveAudiences.Seller(companyId));
        }
        else
        {
            groups.Add(LiveAudiences.Customer(caller.OzonId));
            groups.Add(LiveAudiences.Manager(caller.OzonId));
        }

        if (caller.IsModerator)
        {
            groups.Add(LiveAudiences.Moderators);
        }

        return groups;
    }
}
