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

    public static TheoryData<ProductCategory> Categories()
    {
        var data = new TheoryData<ProductCategory>();
        foreach (var category in Enum.GetValues<ProductCategory>())
        {
            data.Add(category);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void A_defect_under_a_seller_warranty_is_returnable_in_every_category_until_its_last_instant(ProductCategory category)
    {
        var end = Delivered.AddDays(30);

        var last = ReturnPolicy.Check(category, ReturnQuality.Improper, Delivered, 30, false, end);
        Assert.Equal((true, "warranty", (DateTimeOffset?)end), (last.Allowed, last.Basis, last.Until));
        var late = ReturnPolicy.Check(category, ReturnQuality.Improper, Delivered, 30, false, end.AddSeconds(1));
        Assert.Equal((false, "period-over"), (late.Allowed, late.Basis));
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void A_warranty_never_covers_an_item_of_proper_quality(ProductCategory category)
    {
        var period = ReturnPolicy.ReturnPeriodDays(category, ReturnQuality.Proper);
        var after = Delivered.AddDays(period ?? 0).AddSeconds(1);

        var refused = ReturnPolicy.Check(category, ReturnQuality.Proper, Delivered, 60, true, after);

        Assert.Equal((false, period is null ? "not-returnable" : "period-over"), (refused.Allowed, refused.Basis));
    }

    [Fact]
    public void A_seller_warranty_under_fourteen_days_counts_as_fourteen_at_the_boundary()
    {
        var end = Delivered.AddDays(14);

        Assert.Equal("warranty", ReturnPolicy.Check(ProductCategory.Books, ReturnQuality.Improper, Delivered, 3, false, end).Basis);
        Assert.False(ReturnPolicy.Check(ProductCategory.Books, ReturnQuality.Improper, Delivered, 3, false, end.AddSeconds(1)).Allowed);
    }

    [Fact]
    public void A_seller_warranty_on_a_technically_complex_item_replaces_the_marketplace_warranty()
    {
        var end = Delivered.AddDays(30);

        Assert.True(ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, 30, true, end).Allowed);
        Assert.False(ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, 30, true, end.AddSeconds(1)).Allowed);
    }

    [Fact]
    public void A_warranty_shorter_than_the_return_period_does_not_shorten_it()
    {
        var end = Delivered.AddDays(15);

        var last = ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, 14, false, end);

        Assert.Equal((true, "return-period", (DateTimeOffset?)end), (last.Allowed, last.Basis, last.Until));
        Assert.False(ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, 14, false, end.AddSeconds(1)).Allowed);
    }

    [Fact]
    public void Nothing_is_returnable_before_it_is_delivered()
    {
        var early = ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, 60, true, Delivered.AddSeconds(-1));

        Assert.Equal((false, "not-delivered"), (early.Allowed, early.Basis));
        Assert.True(ReturnPolicy.Check(ProductCategory.Other, ReturnQuality.Improper, Delivered, null, false, Delivered).Allowed);
    }
}
