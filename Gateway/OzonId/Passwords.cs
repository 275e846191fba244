using OzonActors.OzonId;

namespace OzonActors.Gateway.OzonId;

/// <summary>Email + password checks: an unknown email answers exactly like a wrong password, in the same time.</summary>
internal static class Passwords
{
    public static Task<SellerAccountInfo> VerifyAsync(IGrainFactory grains, string email, string password, HttpContext context) =>
        grains.GetGrain<IEmailIndexGrain>(Emails.Normalize(email)).VerifyPasswordAsync(password, ClientAddress.Of(context));
}
