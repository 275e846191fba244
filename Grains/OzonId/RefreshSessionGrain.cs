using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OzonActors.OzonId;
using OzonActors.Persistence;
using OzonActors.Persistence.Facet;

namespace OzonActors.Grains.OzonId;

/// <summary>
/// Rotating refresh tokens: each refresh swaps the secret; presenting a secret that was already rotated away means
/// it was stolen or replayed, so the whole family is revoked.
/// </summary>
[GrainType("refresh-session")]
public sealed class RefreshSessionGrain([DurableState("refresh-session")] IDurableState<RefreshSessionState> state, [FromKeyedServices(BusinessClock.Key)] TimeProvider time, IOptions<OzonIdOptions> options)
    : DurableGrain<RefreshSessionState>(state, time), IRefreshSessionGrain
{
    /// <summary>
    /// Retention: a session is kept a day past its end (expiry or revocation), then deleted; a deleted session answers
    /// like a revoked one (401), so a stolen old secret still gets nowhere.
    /// </summary>
    protected override DateTimeOffset? RetainUntil =>
        (State.Revoked ? TimeProvider.GetUtcNow() : State.ExpiresAt) + TimeSpan.FromDays(1);

    /// <summary>How many rotated secrets are remembered for reuse detection.</summary>
    private const int RememberedSecrets = 50;

    public async Task<SessionTokens> StartAsync(SessionScope scope)
    {
        if (State.Scope is not null)
        {
            throw DomainException.Conflict("session-exists", "This session already exists.");
        }

        State.Scope = scope;
        State.Salt = Secrets.NewSalt();
        return await RotateToNewSecretAsync();
    }

    public async Task<SessionTokens> RotateAsync(string secret)
    {
        if (State.Scope is null || State.Revoked || TimeProvider.GetUtcNow() >= State.ExpiresAt)
        {
            throw InvalidToken();
        }

        var hash = Secrets.Hash(secret, State.Salt);
        if (State.UsedHashes.Contains(hash))
        {
            State.Revoked = true;
            await WriteStateAsync();
            throw DomainException.Unauthorized("refresh-token-reused", "This refresh token was already used; the session has been ended.");
        }

        if (!Secrets.Matches(secret, State.Salt, State.CurrentHash))
        {
            throw InvalidToken();
        }

        State.UsedHashes.Add(State.CurrentHash);
        if (State.UsedHashes.Count > RememberedSecrets)
        {
            State.UsedHashes.RemoveAt(0);
        }

        return await RotateToNewSecretAsync();
    }

    public Task<SessionScope> GetScopeAsync() =>
        State.Scope is null || State.Revoked || TimeProvider.GetUtcNow() >= State.ExpiresAt
            ? throw InvalidToken()
            : Task.FromResult(State.Scope);

    public async Task RevokeAsync()
    {
        if (State.Scope is not null && !State.Revoked)
        {
            State.Revoked = true;
            await WriteStateAsync();
        }
    }

    private async Task<SessionTokens> RotateToNewSecretAsync()
    {
        var secret = Secrets.NewToken();
        State.CurrentHash = Secrets.Hash(secret, State.Salt);
        State.ExpiresAt = TimeProvider.GetUtcNow() + options.Value.SessionLifetime;
        await WriteStateAsync();
        return new SessionTokens(GetPrimaryKey(), secret, State.Scope!, State.ExpiresAt);
    }

    private static DomainException InvalidToken() =>
        DomainException.Unauthorized("invalid-refresh-token", "The refresh token is not valid; log in again.");
}
