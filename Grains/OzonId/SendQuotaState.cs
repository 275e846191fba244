namespace OzonActors.Grains.OzonId;

/// <summary>The instants of recent sends counted against one quota.</summary>
public sealed class SendQuotaState
{
    public List<DateTimeOffset> Sends { get; set; } = [];
}
