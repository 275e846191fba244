using OzonActors.Returns;

namespace OzonActors.Grains.Returns;

/// <summary>Why a return may be created, or why not.</summary>
public sealed record ReturnEligibility(bool Allowed, string Basis, DateTimeOffset? Until)
{
    public static ReturnEligibility Refused(string basis) => new(false, basis, null);
}

/// <summary>
/// The pure eligibility rules of RULES §1: the return period per category and quality, counted from delivery, then
/// the warranty for improper quality. "Within N days" ends at delivery + N × 24 h, inclusive.
/// </summary>
public static class ReturnPolicy
{
    /// <summary>Days a technically complex product without a seller warranty is covered by the marketplace.</summary>
    public const int MarketplaceWarrantyDays = 365;

    /// <summary>The least warranty a seller may set.</summary>
    public const int MinimumSellerWarrantyDays = 14;

    /// <summary>The return period in days, or null if the category cannot be returned with that quality.</summary>
    public static int? ReturnPeriodDays(ProductCategory category, ReturnQuality quality) => (category, quality) switch
    {
        (ProductCategory.Food or ProductCategory.PetFood, ReturnQuality.Proper) => null,
        (ProductCategory.Food or ProductCategory.PetFood, ReturnQuality.Improper) => 1,
        (ProductCategory.Digital or ProductCategory.IndividuallyDefined, ReturnQuality.Proper) => null,
        (ProductCategory.Digital or ProductCategory.IndividuallyDefined, ReturnQuality.Improper) => 7,
        (ProductCategory.Books or ProductCategory.PersonalHygiene or ProductCategory.Christmas
            or ProductCategory.Hosiery or ProductCategory.MedicalDevices, _) => 7,
        _ => 15,
    };

    /// <summary>The warranty in days from delivery: the seller's (at least 14), else 365 for technically complex products.</summary>
    public static int? WarrantyDays(int? sellerWarrantyDays, bool technicallyComplex) =>
        sellerWarrantyDays is { } days ? Math.Max(days, MinimumSellerWarrantyDays)
        : technicallyComplex ? MarketplaceWarrantyDays
        : null;

    public static ReturnEligibility Check(
        ProductCategory category, ReturnQuality quality, DateTimeOffset deliveredAt, int? sellerWarrantyDays, bool technicallyComplex,
        DateTimeOffset now)
    {
        if (now < deliveredAt)
        {
            return ReturnEligibility.Refused("not-delivered");
        }

        var period = ReturnPeriodDays(category, quality);
        if (period is { } days && now <= deliveredAt.AddDays(days))
        {
            return new ReturnEligibility(true, "return-period", deliveredAt.AddDays(days));
        }

        if (quality == ReturnQuality.Improper && WarrantyDays(sellerWarrantyDays, technicallyComplex) is { } warranty
            && now <= deliveredAt.AddDays(warranty))
        {
            return new ReturnEligibility(true, "warranty", deliveredAt.AddDays(warranty));
        }

        return ReturnEligibility.Refused(period is null ? "not-returnable" : "period-over");
    }
}
