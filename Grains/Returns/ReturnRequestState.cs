using OzonActors.Returns;

namespace OzonActors.Grains.Returns;

/// <summary>A return request as stored.</summary>
public sealed class ReturnRequestState
{
    public Guid Id { get; set; }

    public string OrderId { get; set; } = "";

    public string LineId { get; set; } = "";

    public string ProductName { get; set; } = "";

    public ProductCategory Category { get; set; }

    public bool TechnicallyComplex { get; set; }

    public Guid SellerId { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>Unit price of the line (RUB).</summary>
    public decimal Price { get; set; }

    public int Quantity { get; set; }

    public ReturnQuality Quality { get; set; }

    public string Reason { get; set; } = "";

    public string? Comment { get; set; }

    public List<string> Photos { get; set; } = [];

    public bool CrossBorder { get; set; }

    public ReturnStatus Status { get; set; }

    public ReturnProcessor ProcessedBy { get; set; }

    public DisputeStage? DisputeStage { get; set; }

    /// <summary>In a transit dispute: the parcel reached the seller.</summary>
    public bool Arrived { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the current status was entered.</summary>
    public DateTimeOffset EnteredAt { get; set; }

    /// <summary>The current status's deadline; the <c>deadline</c> reminder is set to it.</summary>
    public DateTimeOffset? DueAt { get; set; }

    public string? TrackingNumber { get; set; }

    public DateTimeOffset? ShippedAt { get; set; }

    public DateTimeOffset? ReceivedAt { get; set; }

    /// <summary>Day 15 in transit has come: the customer may open a "Where is the refund" dispute.</summary>
    public bool TransitDisputeOpen { get; set; }

    public List<CompensationOffer> Offers { get; set; } = [];

    public ReturnRejection? Rejection { get; set; }

    public ReturnDispute? Dispute { get; set; }

    public ReturnRefund? Refund { get; set; }

    public List<ReturnHistoryEntry> History { get; set; } = [];

    public List<ReturnMessage> Messages { get; set; } = [];
}
