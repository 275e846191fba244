using OzonActors.Gateway.Auth;
using OzonActors.OzonId;

namespace OzonActors.Gateway.OzonId;

/// <summary>Starts, refreshes and scopes login sessions, and answers them with tokens.</summary>
public sealed class Sessions(IGrainFactory grains, TokenIssuer issuer)
{
    public async Task<TokenResponse> StartAsync(SessionScope scope) =>
        await IssueAsync(await grains.GetGrain<IRefreshSessionGrain>(Guid.NewGuid()).StartAsync(scope));

    /// <summary>Swaps a refresh token for new tokens; a seller session of a deleted account ends here.</summary>
    public async Task<TokenResponse> RefreshAsync(string refreshToken)
    {
        var (sessionId, secret) = TokenIssuer.ParseRefreshToken(refreshToken)
            ?? throw DomainException.Unauthorized("invalid-refresh-token", "The refresh token is not valid; log in again.");
        var session = grains.GetGrain<IRefreshSessionGrain>(sessionId);
        var tokens = await session.RotateAsync(secret);
        if (tokens.Scope.AccountId is { } accountId && (await grains.GetGrain<ISellerAccountGrain>(accountId).GetAsync()).Deleted)
        {
            await session.RevokeAsync();
            throw DomainException.Unauthorized("account-deleted", "This seller account was deleted.");
        }

        return await IssueAsync(tokens);
    }

    /// <summary>The scope of the caller's session, which holds the device id the token only names by its key.</summary>
    public Task<SessionScope> GetScopeAsync(Guid sessionId) => grains.GetGrain<IRefreshSessionGrain>(sessionId).GetScopeAsync();

    public Task RevokeAsync(Guid sessionId) => grains.GetGrain<IRefreshSessionGrain>(sessionId).RevokeAsync();

    private async Task<TokenResponse> IssueAsync(SessionTokens tokens)
    {
        var ozonId = grains.GetGrain<IOzonIdGrain>(tokens.Scope.OzonId);
        var profile = await ozonId.GetAsync();
        var trusted = await ozonId.GetTrustedAccountsAsync(SecretKeys.DeviceKey(tokens.Scope.DeviceId));
        // A password-only session opens its one seller account: it does not list the person's other companies.
        var accounts = profile.Accounts
            .Where(a => !tokens.Scope.PasswordOnly || a.AccountId == tokens.Scope.AccountId)
            .Select(a => new AccountView(a.AccountId, a.CompanyId, a.CompanyName, a.Role, trusted.Contains(a.AccountId)))
            .ToList();
        return issuer.Issue(tokens, profile, accounts);
    }
}
