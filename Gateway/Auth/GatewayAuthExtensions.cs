using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OzonActors.Gateway.Auth;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Authentication (JWT bearer, internal API key) and the authorization policies.</summary>
public static class GatewayAuthExtensions
{
    public static WebApplicationBuilder AddGatewayAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrEmpty(o.InternalApiKey) && builder.Environment.IsDevelopment())
                {
                    o.InternalApiKey = "dev-internal-key";
                }
            })
            .Validate(o => !string.IsNullOrEmpty(o.InternalApiKey), "Gateway:InternalApiKey must be set outside Development.")
            .Validate(o => o.Jwt.SigningKey is null || o.Jwt.SigningKey.Length >= 32,
                "Gateway:Jwt:SigningKey must be at least 32 characters.")
            .Validate(o => o.Jwt.AccessTokenLifetime > TimeSpan.Zero, "Gateway:Jwt:AccessTokenLifetime must be positive.")
            .Validate(o => o.ClusterRetryBudget >= TimeSpan.Zero && o.ClusterRetryBudget <= TimeSpan.FromMinutes(1),
                "Gateway:ClusterRetryBudget must be between 00:00:00 and 00:01:00.")
            .ValidateOnStart();
        services.AddSingleton<SigningKey>();
        services.AddSingleton<TokenIssuer>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<GatewayOptions>, SigningKey, IServiceProvider>((bearer, gateway, key, services) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = gateway.Value.Jwt.Issuer,
                    ValidAudience = gateway.Value.Jwt.Audience,
                    IssuerSigningKey = key.Key,
                    NameClaimType = OzonClaims.OzonId,
                    RoleClaimType = OzonClaims.Role,
                    // Lifetimes follow the business clock, like every other deadline.
                    LifetimeValidator = (notBefore, expires, _, _) =>
                    {
                        var now = services.GetRequiredKeyedService<TimeProvider>(OzonActors.BusinessClock.Key).GetUtcNow().UtcDateTime;
                        return (notBefore is null || notBefore <= now.AddSeconds(5)) && expires is not null && expires > now;
                    },
                };
                bearer.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on WebSockets: the hub takes the token from the query.
                    OnMessageReceived = context =>
                    {
                        if (context.Request.Path.StartsWithSegments("/hubs")
                            && context.Request.Query.TryGetValue("access_token", out var token))
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },

                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Customer, p => p.RequireAuthenticatedUser().AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireClaim(OzonClaims.OzonId))
            .AddPolicy(Policies.Person, p => p.RequireAuthenticatedUser().AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireClaim(OzonClaims.OzonId).RequireAssertion(c => c.User.FindFirst(OzonClaims.Method)?.Value != OzonClaims.PasswordMethod))
            .AddPolicy(Policies.Seller, p => p.RequireAuthenticatedUser().AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireClaim(OzonClaims.Company).RequireClaim(OzonClaims.Role))
            .AddPolicy(Policies.Moderator, p => p.RequireAuthenticatedUser().AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireClaim(OzonClaims.Moderator, "true"))
            .AddPolicy(Policies.Internal, p => p.RequireAuthenticatedUser().AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName));
        return builder;
    }
}
