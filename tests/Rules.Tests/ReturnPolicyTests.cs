using OzonActors.Grains.Returns;
using OzonActors.Returns;

namespace OzonActors.Rules.Tests;

public sealed class ReturnPolicyTests
{
    private static readonly DateTimeOffset Delivered = new(2026, 11, 2, 14, 30, 0, TimeSpan.FromHours(3));

    /// <summary>Each category × quality: the days it may be returned, or null where it may not.</summary>
    public static TheoryData<ProductCategory, ReturnQuality, int?> Periods() => new()
    {
        { ProductCategory.Food, ReturnQuality.Proper, null },
        { ProductCategory.Food, ReturnQuality.Improper, 1 },
        { ProductCategory.PetFood, ReturnQuality.Proper, null },
        { ProductCategory.PetFood, ReturnQuality.Improper, 1 },
        { ProductCategory.Digital, ReturnQuality.Proper, null },
        { ProductCategory.Digital, ReturnQuality.Improper, 7 },
        { ProductCategory.IndividuallyDefined, ReturnQuality.Proper, null },
        { ProductCategory.IndividuallyDefined, ReturnQuality.Improper, 7 },
        { ProductCategory.Books, ReturnQuality.Proper, 7 },
        { ProductCategory.Books, ReturnQuality.Improper, 7 },
        { ProductCategory.PersonalHygiene, ReturnQuality.Proper, 7 },
        { ProductCategory.PersonalHygiene, ReturnQuality.Improper, 7 },
        { ProductCategory.Christmas, ReturnQuality.Proper, 7 },
        { ProductCategory.Christmas, ReturnQuality.Improper, 7 },
        { ProductCategory.Hosiery, ReturnQuality.Proper, 7 },
        { ProductCategory.Hosiery, ReturnQuality.Improper, 7 },
        { ProductCategory.MedicalDevices, ReturnQuality.Proper, 7 },
        { ProductCategory.MedicalDevices, ReturnQuality.Improper, 7 },
        { ProductCategory.Other, ReturnQuality.Proper, 15 },
        { ProductCategory.Other, ReturnQuality.Improper, 15 },
    };

    [Theory]
    [MemberData(nameof(Periods))]
    public void A_request_is_allowed_at_the_last_instant_of_its_period_and_refused_one_second_after(
        ProductCategory category, ReturnQuality quality, int? days)
    {
        if (days is null)
        {
            var refused = ReturnPolicy.Check(category, quality, Delivered, null, false, Delivered.AddMinutes(1));
            Assert.Equal(("not-returnable", false), (refused.Basis, refused.Allowed));
            return;
        }

        var lastInstant = Delivered.AddDays(days.Value);
        Assert.True(ReturnPolicy.Check(category, quality, Delivered, null, false, lastInstant).Allowed);
        var late = ReturnPolicy.Check(category, quality, Delivered, null, false, lastInstant.AddSeconds(1));
        Assert.Equal(("period-over", false), (late.Basis, late.Allowed));
    }

    [Fact]
    public void An_improper_item_under_seller_warranty_is_allowed_after_the_return_period_until_the_warranty_ends()
    {
        var end = Delivered.AddDays(60);

        Assert.Equal("warranty", ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, 60, false, end).Basis);
        Assert.False(ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, 60, false, end.AddSeconds(1)).Allowed);
        Assert.False(ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Proper, Delivered, 60, false, Delivered.AddDays(16)).Allowed);
    }

    [Fact]
    public void A_technically_complex_item_without_seller_warranty_has_the_marketplace_warranty_of_365_days()
    {
        var end = Delivered.AddDays(365);

        Assert.True(ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, null, true, end).Allowed);
        Assert.False(ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, null, true, end.AddSeconds(1)).Allowed);
        Assert.False(ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, null, false, Delivered.AddDays(16)).Allowed);
    }

    [Fact]
    public void A_seller_warranty_is_at_least_fourteen_days()
    {
        Assert.Equal(14, ReturnPolicy.WarrantyDays(3, technicallyComplex: false));
        Assert.Equal(30, ReturnPolicy.WarrantyDays(30, technicallyComplex: true));
    }
}
