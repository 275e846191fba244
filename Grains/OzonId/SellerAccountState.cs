using OzonActors.OzonId;

namespace OzonActors.Grains.OzonId;

/// <summary>A seller account. The password is kept only as an ASP.NET Core Identity hash.</summary>
public sealed class SellerAccountState
{
    public bool Created { get; set; }

    public Guid CompanyId { get; set; }

    public string Email { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public CompanyRole Role { get; set; }

    public Guid? OzonId { get; set; }

    public bool Deleted { get; set; }
}
