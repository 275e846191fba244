namespace OzonActors.Grains.OzonId;

/// <summary>The one owner of a unique value (a phone's Ozon ID, an email's seller account).</summary>
public sealed class UniqueOwnerState
{
    public Guid? Owner { get; set; }
}
