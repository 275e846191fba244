using System.Text.RegularExpressions;
using OzonActors.Gateway.Api;
using OzonActors.Returns;

namespace OzonActors.Gateway.Returns;

/// <summary>Checks shared by the returns bodies.</summary>
internal static partial class ReturnFields
{
    public const int MaxPhotos = 10;

    /// <summary>Marketplace ids: 1–64 letters, digits, '-', '_' or '.'.</summary>
    public static bool Id(RequestErrors errors, string field, string? value)
    {
        if (!errors.Text(field, value, 64))
        {
            return false;
        }

        if (!IdPattern().IsMatch(value!))
        {
            errors.Add(field, $"'{field}' may contain only letters, digits, '-', '_' and '.'.");
            return false;
        }

        return true;
    }

    /// <summary>A positive amount of rubles with at most two decimals, at most <paramref name="max"/>.</summary>
    public static void Money(RequestErrors errors, string field, decimal? value, decimal min, decimal max)
    {
        if (errors.Required(field, value) && (value < min || value > max || decimal.Round(value!.Value, 2) != value))
        {
            errors.Add(field, $"'{field}' must be between {min} and {max} rubles, in kopecks at most.");
        }
    }

    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && value!.Length <= 2000;

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();
}

/// <summary>POST /api/internal/orders.</summary>
public sealed record OrderBody(
    string? OrderId, Guid? CustomerId, Guid? SellerId, DateTimeOffset? DeliveredAt, bool? CrossBorder, IReadOnlyList<OrderLineBody>? Lines)
    : IValidatedRequest
{
    public const int MaxLines = 200;

    public void Validate(RequestErrors errors)
    {
        ReturnFields.Id(errors, "orderId", OrderId);
        errors.Required("customerId", CustomerId);
        errors.Required("sellerId", SellerId);
        errors.Required("deliveredAt", DeliveredAt);
        if (Lines is not { Count: > 0 and <= MaxLines })
        {
            errors.Add("lines", $"'lines' must hold 1 to {MaxLines} lines.");
            return;
        }

        for (var i = 0; i < Lines.Count; i++)
        {
            if (Lines[i] is { } line)
            {
                line.Validate(errors, $"lines[{i}]");
            }
            else
            {
                errors.Add($"lines[{i}]", "A line is required.");
            }
        }

        if (Lines.Where(l => l?.LineId is not null).GroupBy(l => l.LineId).Any(g => g.Count() > 1))
        {
            errors.Add("lines", "Each line needs its own 'lineId'.");
        }
    }

    public DeliveredOrder ToOrder() => new(
        OrderId!, CustomerId!.Value, SellerId!.Value, DeliveredAt!.Value.ToUniversalTime(), CrossBorder ?? false,
        [.. Lines!.Select(l => l.ToLine())]);
}

/// <summary>One line of <see cref="OrderBody"/>.</summary>
public sealed record OrderLineBody(
    string? LineId, string? ProductId, string? Name, ProductCategory? Category, decimal? Price, int? Quantity, bool? TechnicallyComplex,
    int? WarrantyDays)
{
    public const int MaxQuantity = 10_000;
    public const decimal MaxPrice = 100_000_000m;

    public void Validate(RequestErrors errors, string prefix)
    {
        ReturnFields.Id(errors, $"{prefix}.lineId", LineId);
        ReturnFields.Id(errors, $"{prefix}.productId", ProductId);
        errors.Text($"{prefix}.name", Name, 300);
        errors.Required($"{prefix}.category", Category);
        ReturnFields.Money(errors, $"{prefix}.price", Price, 0.01m, MaxPrice);
        if (errors.Required($"{prefix}.quantity", Quantity) && Quantity is < 1 or > MaxQuantity)
        {
            errors.Add($"{prefix}.quantity", $"'{prefix}.quantity' must be between 1 and {MaxQuantity}.");
        }

        if (WarrantyDays is < 14 or > 3650)
        {
            errors.Add($"{prefix}.warrantyDays", $"'{prefix}.warrantyDays' must be between 14 and 3650 days when set.");
        }
    }

    public OrderLine ToLine() => new(
        LineId!, ProductId!, Name!.Trim(), Category!.Value, Price!.Value, Quantity!.Value, TechnicallyComplex ?? false, WarrantyDays);
}

/// <summary>POST /api/returns.</summary>
public sealed record CreateReturnBody(
    string? OrderId, string? LineId, int? Quantity, string? Reason, ReturnQuality? Quality, IReadOnlyList<string>? Photos, string? Comment)
    : IValidatedRequest
{
    public void Validate(RequestErrors errors)
    {
        ReturnFields.Id(errors, "orderId", OrderId);
        ReturnFields.Id(errors, "lineId", LineId);
        if (errors.Required("quantity", Quantity) && Quantity is < 1 or > OrderLineBody.MaxQuantity)
        {
            errors.Add("quantity", $"'quantity' must be between 1 and {OrderLineBody.MaxQuantity}.");
        }

        errors.Text("reason", Reason, 500);
        errors.Required("quality", Quality);
        if (Photos is not { Count: > 0 and <= ReturnFields.MaxPhotos })
        {
            errors.Add("photos", $"'photos' must hold 1 to {ReturnFields.MaxPhotos} image URLs.");
        }
        else if (!Photos.All(ReturnFields.IsHttpUrl))
        {
            errors.Add("photos", "Each photo must be an http(s) URL.");
        }

        if (Comment is { Length: > 2000 })
        {
            errors.Add("comment", "'comment' must be at most 2000 characters.");
        }
    }

    public CreateReturn ToCommand() =>
        new(OrderId!, LineId!, Quantity!.Value, Reason!.Trim(), Quality!.Value, [.. Photos!], string.IsNullOrWhiteSpace(Comment) ? null : Comment.Trim());
}

/// <summary>POST /api/returns/{id}/reject.</summary>
public sealed record RejectBody(string? Reason, bool? RequireServiceCenterConclusion) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Text("reason", Reason, 1000);
}

/// <summary>POST /api/returns/{id}/reject-refund.</summary>
public sealed record RejectRefundBody(string? Reason) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Text("reason", Reason, 1000);
}

/// <summary>POST /api/returns/{id}/offer-compensation.</summary>
public sealed record OfferBody(decimal? Amount) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => ReturnFields.Money(errors, "amount", Amount, 0.01m, OrderLineBody.MaxPrice * OrderLineBody.MaxQuantity);
}

/// <summary>POST /api/returns/{id}/messages.</summary>
public sealed record MessageBody(string? Text) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Text("text", Text, 2000);
}

/// <summary>POST /api/returns/{id}/dispute-reply: the seller's answer to an open dispute.</summary>
public sealed record DisputeReplyBody(string? Text) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Text("text", Text, 2000);
}

/// <summary>POST /api/returns/{id}/ship.</summary>
public sealed record ShipBody(string? TrackingNumber) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Text("trackingNumber", TrackingNumber, 100);
}

/// <summary>POST /api/returns/{id}/dispute; the topic defaults to the stage's usual one.</summary>
public sealed record DisputeBody(string? Topic) : IValidatedRequest
{
    public void Validate(RequestErrors errors)
    {
        if (Topic is { Length: > 500 })
        {
            errors.Add("topic", "'topic' must be at most 500 characters.");
        }
    }
}

/// <summary>POST /api/returns/{id}/refund; the body is optional.</summary>
public sealed record RefundBody(decimal? DeliveryCost) : IValidatedRequest
{
    public void Validate(RequestErrors errors)
    {
        if (DeliveryCost is { } cost && (cost < 0 || decimal.Round(cost, 2) != cost))
        {
            errors.Add("deliveryCost", "'deliveryCost' must be a non-negative amount of rubles, in kopecks at most.");
        }
    }
}

/// <summary>POST /api/returns/{id}/dispute-decision.</summary>
public sealed record DisputeDecisionBody(DisputeSide? InFavorOf) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Required("inFavorOf", InFavorOf);
}

/// <summary>PUT /api/moderation/sellers/{sellerId}/pre-moderation.</summary>
public sealed record PreModerationBody(bool? Enabled) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Required("enabled", Enabled);
}
