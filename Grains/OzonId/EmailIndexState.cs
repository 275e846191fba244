namespace OzonActors.Grains.OzonId;

/// <summary>The seller account that holds an email.</summary>
public sealed class EmailIndexState
{
    public Guid? AccountId { get; set; }
}
