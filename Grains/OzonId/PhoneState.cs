namespace OzonActors.Grains.OzonId;

/// <summary>The one Ozon ID a phone belongs to.</summary>
public sealed class PhoneState
{
    public Guid? OzonId { get; set; }
}
