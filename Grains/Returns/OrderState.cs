using OzonActors.Returns;

namespace OzonActors.Grains.Returns;

/// <summary>A delivered order and the quantities its returns hold, per return.</summary>
public sealed class OrderState
{
    public DeliveredOrder? Order { get; set; }

    public Dictionary<Guid, ReturnHold> Holds { get; set; } = [];
}

/// <summary>Quantity of a line held by one return request.</summary>
/// <param name="LineId">The order line held.</param>
/// <param name="Quantity">How many of the line.</param>
/// <param name="PendingUntil">Set while the request that holds it may not have been written; null once confirmed.</param>
public sealed record ReturnHold(string LineId, int Quantity, DateTimeOffset? PendingUntil = null);
