using Microsoft.AspNetCore.Authorization;
using OzonActors.OzonId;

namespace OzonActors.Gateway.Auth;

/// <summary>
/// An access token lives 15 minutes; the session it names, and its seller account, are checked on every request that needs
/// a token, so a logout, a reused refresh token (which revokes the session) or a deleted account ends it at once. It runs
/// inside the cluster retry, so a failover is retried like the request itself, never answered 401.
/// </summary>
internal sealed class LiveSessionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IGrainFactory grains)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is not null
            && context.User.FindFirst(OzonClaims.Session)?.Value is { } session)
        {
            await EnsureLiveAsync(context.User.GetCaller(), session, grains);
        }

        await next(context);
    }

    private static async Task EnsureLiveAsync(Caller caller, string session, IGrainFactory grains)
    {
        if (!Guid.TryParse(session, out var sessionId) || sessionId == Guid.Empty)
        {
            throw DomainException.Unauthorized("session-ended", "This token's session has ended; log in again.");
        }

        try
        {
            await grains.GetGrain<IRefreshSessionGrain>(sessionId).GetScopeAsync();
        }
        catch (DomainException ended) when (ended.Kind == DomainErrorKind.NotFound)
        {
            throw DomainException.Unauthorized("session-ended", "This token's session has ended; log in again.");
        }

        if (caller.AccountId is { } accountId && (await grains.GetGrain<ISellerAccountGrain>(accountId).GetAsync()).Deleted)
        {
            throw DomainException.Unauthorized("account-deleted", "This seller account was deleted.");
        }
    }
}
