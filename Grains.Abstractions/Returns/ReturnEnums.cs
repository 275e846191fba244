namespace OzonActors.Returns;

/// <summary>Product categories, each with its own return periods (RULES §1).</summary>
public enum ProductCategory
{
    /// <summary>Food.</summary>
    Food,

    /// <summary>Pet food.</summary>
    PetFood,

    /// <summary>Digital products.</summary>
    Digital,

    /// <summary>Products with individually-defined features.</summary>
    IndividuallyDefined,

    /// <summary>Books and other non-periodical publications.</summary>
    Books,

    /// <summary>Personal hygiene products.</summary>
    PersonalHygiene,

    /// <summary>Christmas products.</summary>
    Christmas,

    /// <summary>Stockings, socks, tights, underwear, pajamas.</summary>
    Hosiery,

    /// <summary>Medical devices.</summary>
    MedicalDevices,

    /// <summary>Every other category.</summary>
    Other,
}

/// <summary>The customer's claim about the item.</summary>
public enum ReturnQuality
{
    /// <summary>The customer changed their mind; the item is fine.</summary>
    Proper,

    /// <summary>Defect, wrong item or damage.</summary>
    Improper,
}
