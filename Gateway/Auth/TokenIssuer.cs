using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OzonActors.OzonId;

namespace OzonActors.Gateway.Auth;

/// <summary>The tokens a login, a refresh or a switch answers with.</summary>
public sealed record TokenResponse(
    string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt, Guid OzonId, string DeviceId, IReadOnlyList<AccountView> Accounts,
    Guid? CompanyId = null, CompanyRole? Role = null);

/// <summary>A seller account the Ozon ID can enter; <c>trusted</c> says whether this device may enter it without a password.</summary>
public sealed record AccountView(Guid AccountId, Guid CompanyId, string CompanyName, CompanyRole Role, bool Trusted);

/// <summary>The signing key: configured, or (Development only) generated at start with a warning.</summary>
public sealed class SigningKey
{
    public SigningKey(IOptions<GatewayOptions> options, IHostEnvironment environment, ILogger<SigningKey> log)
    {
        var configured = options.Value.Jwt.SigningKey;
        if (string.IsNullOrEmpty(configured))
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException("Gateway:Jwt:SigningKey must be set outside Development (at least 32 characters).");
            }

            GatewayLog.GeneratedSigningKey(log);
            Key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
        }
        else
        {
            Key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configured));
        }
    }

    public SymmetricSecurityKey Key { get; }
}

/// <summary>Issues short-lived JWT access tokens; the refresh token is the session id and its current secret.</summary>
public sealed class TokenIssuer(IOptions<GatewayOptions> options, SigningKey signingKey, [FromKeyedServices(BusinessClock.Key)] TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();
    private readonly JwtOptions _jwt = options.Value.Jwt;

    public TokenResponse Issue(SessionTokens session, OzonIdProfile profile, IReadOnlyList<AccountView> accounts)
    {
        var now = time.GetUtcNow();
        var expiresAt = now + _jwt.AccessTokenLifetime;
        var scope = session.Scope;
        var claims = new Dictionary<string, object>
        {
            [OzonClaims.OzonId] = scope.OzonId.ToString(),
            [OzonClaims.Session] = session.SessionId.ToString(),
            [OzonClaims.Device] = SecretKeys.DeviceKey(scope.DeviceId),
        };
        if (scope is { CompanyId: { } company, AccountId: { } account, Role: { } role })
        {
            claims[OzonClaims.Company] = company.ToString();
            claims[OzonClaims.Account] = account.ToString();
            claims[OzonClaims.Role] = role.ToString();
        }

        if (scope.PasswordOnly)
        {
            claims[OzonClaims.Method] = OzonClaims.PasswordMethod;
        }
        else if (profile.IsModerator)
        {
            claims[OzonClaims.Moderator] = "true";
        }

        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _jwt.Issuer,
            Audience = _jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(
            token, $"{session.SessionId:N}.{session.Secret}", expiresAt, scope.OzonId, scope.DeviceId, accounts, scope.CompanyId, scope.Role);
    }

    /// <summary>Splits a refresh token into its session and secret, or null if it is not one of ours.</summary>
    public static (Guid SessionId, string Secret)? ParseRefreshToken(string refreshToken)
    {
        var dot = refreshToken.IndexOf('.', StringComparison.Ordinal);
        return dot == 32 && Guid.TryParseExact(refreshToken.AsSpan(0, dot), "N", out var session) && refreshToken.Length > 33
            ? (session, refreshToken[(dot + 1)..])
            : null;
    }
}
