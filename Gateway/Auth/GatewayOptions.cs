namespace OzonActors.Gateway.Auth;

/// <summary>Gateway settings (configuration section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The <c>X-Api-Key</c> the marketplace's own systems send to <c>/api/internal/...</c>.</summary>
    public string? InternalApiKey { get; set; }

    public JwtOptions Jwt { get; set; } = new();

    /// <summary>
    /// How long a read, or a command idempotent by its key, is retried while a killed silo is not yet declared dead (about
    /// 3 s with the cluster's failure detection) or a call forwarded to it times out (<c>Orleans:ClientResponseTimeout</c>,
    /// 5 s): beyond it the client gets 503 with <c>Retry-After</c>.
    /// </summary>
    public TimeSpan ClusterRetryBudget { get; set; } = TimeSpan.FromSeconds(12);
}

/// <summary>Access and refresh token settings (<c>Gateway:Jwt</c>).</summary>
public sealed class JwtOptions
{
    /// <summary>HMAC-SHA256 key, at least 32 bytes of text. Unset in Development: a random key with a warning.</summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "ozon-actors";

    public string Audience { get; set; } = "ozon-actors";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
