using System.Security.Claims;
using OzonActors.OzonId;

namespace OzonActors.Gateway.Auth;

/// <summary>The claims our access tokens carry, and the caller they describe.</summary>
public static class OzonClaims
{
    public const string OzonId = "sub";
    public const string Session = "sid";
    public const string Device = "device";
    public const string Company = "company";
    public const string Account = "account";
    public const string Role = "role";
    public const string Moderator = "moderator";

    /// <summary>How the session was opened (RFC 8176 <c>amr</c>): <see cref="PasswordMethod"/> for email + password.</summary>
    public const string Method = "amr";

    public const string PasswordMethod = "pwd";

    /// <summary>The caller of an authenticated request.</summary>
    public static Caller GetCaller(this ClaimsPrincipal user)
    {
        static Guid? OptionalGuid(ClaimsPrincipal user, string type) =>
            Guid.TryParse(user.FindFirstValue(type), out var value) ? value : null;

        return new Caller(
            OptionalGuid(user, OzonId) ?? throw DomainException.Unauthorized("unauthorized", "The token names no Ozon ID."),
            OptionalGuid(user, Session) ?? Guid.Empty,
            user.FindFirstValue(Device) ?? "",
            OptionalGuid(user, Company),
            OptionalGuid(user, Account),
            Enum.TryParse<CompanyRole>(user.FindFirstValue(Role), out var role) ? role : null,
            user.FindFirstValue(Moderator) == "true",
            user.FindFirstValue(Method) == PasswordMethod);
    }
}

/// <summary>Who calls: an Ozon ID, on a device (by its key, never its id), in a session, optionally inside one seller account.</summary>
public sealed record Caller(
    Guid OzonId, Guid SessionId, string DeviceKey, Guid? CompanyId, Guid? AccountId, CompanyRole? Role, bool IsModerator,
    bool PasswordOnly = false)
{
    /// <summary>The person's own side (a customer, a referral manager): a session opened by a phone code, or a 403.</summary>
    public Caller RequirePerson() => PasswordOnly
        ? throw DomainException.Forbidden("phone-login-required",
            "Email and password open the seller account only: log in with your phone to act as yourself.")
        : this;

    /// <summary>The seller account the token is scoped to, or a 403.</summary>
    public (Guid CompanyId, Guid AccountId, CompanyRole Role) RequireSeller() =>
        CompanyId is { } company && AccountId is { } account && Role is { } role
            ? (company, account, role)
            : throw DomainException.Forbidden("seller-scope-required", "This needs a token scoped to a seller company: POST /api/auth/switch first.");

    /// <summary>Throws 403 unless the token is scoped to <paramref name="companyId"/>.</summary>
    public (Guid AccountId, CompanyRole Role) RequireCompany(Guid companyId)
    {
        var (company, account, role) = RequireSeller();
        return company == companyId
            ? (account, role)
            : throw DomainException.Forbidden("other-company", "This token belongs to another company.");
    }
}
