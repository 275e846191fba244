using OzonActors.Returns;

namespace OzonActors.Grains.Returns;

/// <summary>A delivered order and the quantities its returns hold, per return.</summary>
public sealed class OrderState
{
    public DeliveredOrder? Order { get; set; }

    public Dictionary<Guid, ReturnHold> Holds { get; set; } = [];
}

/// <summary>Quantity of a line held by one return request.</summary>
public sealed record ReturnHold(string LineId, int Quantity);
