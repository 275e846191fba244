using OzonActors.Grains.OzonId;
using OzonActors.OzonId;

namespace OzonActors.Gateway.OzonId;

/// <summary>Email + password checks: an unknown email answers exactly like a wrong password, in the same time.</summary>
internal static class Passwords
{
    public static async Task<SellerAccountInfo> VerifyAsync(IGrainFactory grains, string email, string password)
    {
        var accountId = await grains.GetGrain<IEmailIndexGrain>(Emails.Normalize(email)).FindAsync();
        if (accountId is null)
        {
            SellerAccountGrain.CheckDecoy(password);
            throw DomainException.Unauthorized("invalid-credentials", "Wrong email or password.");
        }

        return await grains.GetGrain<ISellerAccountGrain>(accountId.Value).VerifyPasswordAsync(password);
    }
}
