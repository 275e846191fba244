namespace OzonActors.Grains.OzonId;

/// <summary>The one owner of a unique value (a phone's Ozon ID, an email's seller account).</summary>
public sealed class UniqueOwnerState
{
    public Guid? Owner { get; set; }

    /// <summary>Set while a sign-up or an invitation's acceptance has reserved the email but not finished (emails only).</summary>
    public PendingClaim? Pending { get; set; }
}

/// <summary>A reservation not yet confirmed: the company its account is for, and the person who made it.</summary>
public sealed record PendingClaim(Guid CompanyId, Guid OzonId);
