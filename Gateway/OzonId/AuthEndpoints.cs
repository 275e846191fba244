using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OzonActors.Gateway.Api;
using OzonActors.Gateway.Auth;
using OzonActors.OzonId;

namespace OzonActors.Gateway.OzonId;

/// <summary>Ozon ID login: a code by SMS or call, then tokens; email + password on a new device; refresh, switch, logout.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Ozon ID");
        auth.MapPost("/code", RequestCodeAsync).Validates<CodeBody>().WithName("RequestCode");
        auth.MapPost("/code/resend", ResendCodeAsync).Validates<ResendBody>().WithName("ResendCode");
        auth.MapPost("/login", LoginAsync).Validates<LoginBody>().WithName("Login");
        auth.MapPost("/password", PasswordLoginAsync).Validates<PasswordBody>().WithName("PasswordLogin");
        auth.MapPost("/refresh", RefreshAsync).Validates<RefreshBody>().WithName("Refresh");
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization(Policies.Customer).WithName("Logout");
        auth.MapPost("/switch", SwitchAsync).Validates<SwitchBody>().RequireAuthorization(Policies.Person).WithName("SwitchCompany");
        return app;
    }

    /// <summary>Known and unknown phones get the same answer: an identity is created on the first successful login.</summary>
    private static async Task<Accepted<ChallengeResponse>> RequestCodeAsync(CodeBody body, HttpContext context, IGrainFactory grains)
    {
        var challengeId = Guid.NewGuid();
        var issued = await grains.GetGrain<ILoginChallengeGrain>(challengeId).StartAsync(
            new CodeRequest(body.NormalizedPhone, body.Channel!.Value, ClientAddress.Of(context), ChallengePurpose.Login, null));
        return TypedResults.Accepted((string?)null, ChallengeResponse.From(issued));
    }

    private static async Task<Accepted<ChallengeResponse>> ResendCodeAsync(ResendBody body, HttpContext context, IGrainFactory grains)
    {
        var issued = await grains.GetGrain<ILoginChallengeGrain>(body.ChallengeId!.Value).ResendAsync(ClientAddress.Of(context));
        return TypedResults.Accepted((string?)null, ChallengeResponse.From(issued));
    }

    private static async Task<Ok<TokenResponse>> LoginAsync(LoginBody body, IGrainFactory grains, Sessions sessions)
    {
        var verified = await grains.GetGrain<ILoginChallengeGrain>(body.ChallengeId!.Value).VerifyAsync(body.Code!.Trim());
        if (verified.Purpose != ChallengePurpose.Login)
        {
            throw DomainException.Unauthorized("invalid-code", "The code is wrong.");
        }

        var ozonId = await grains.GetGrain<IPhoneGrain>(verified.Phone).GetOrCreateOzonIdAsync();
        var deviceId = body.DeviceId ?? Guid.NewGuid().ToString("N");
        return TypedResults.Ok(await sessions.StartAsync(new SessionScope(ozonId, deviceId, null, null, null)));
    }

    /// <summary>The first login to a seller account on a device: email + password. The device is trusted from then on.</summary>
    private static async Task<Ok<TokenResponse>> PasswordLoginAsync(PasswordBody body, HttpContext context, IGrainFactory grains, Sessions sessions)
    {
        var account = await Passwords.VerifyAsync(grains, body.Email!, body.Password!, context);
        var accountId = account.AccountId;
        var ozonId = account.OzonId
            ?? throw DomainException.Conflict("no-ozon-id", "This account is not linked to an Ozon ID yet; log in by phone and link it.");
        await grains.GetGrain<IOzonIdGrain>(ozonId).TrustDeviceAsync(SecretKeys.DeviceKey(body.DeviceId!), accountId);
        return TypedResults.Ok(await sessions.StartAsync(
            new SessionScope(ozonId, body.DeviceId!, accountId, account.CompanyId, account.Role, PasswordOnly: true)));
    }

    private static async Task<Ok<TokenResponse>> RefreshAsync(RefreshBody body, Sessions sessions) =>
        TypedResults.Ok(await sessions.RefreshAsync(body.RefreshToken!));

    private static async Task<NoContent> LogoutAsync(ClaimsPrincipal user, Sessions sessions)
    {
        await sessions.RevokeAsync(user.GetCaller().SessionId);
        return TypedResults.NoContent();
    }

    /// <summary>Enter one of the Ozon ID's companies without a password, on a device trusted for that account.</summary>
    private static async Task<Ok<TokenResponse>> SwitchAsync(SwitchBody body, ClaimsPrincipal user, IGrainFactory grains, Sessions sessions)
    {
        var caller = user.GetCaller();
        var ozonId = grains.GetGrain<IOzonIdGrain>(caller.OzonId);
        var account = (await ozonId.GetAsync()).Accounts.FirstOrDefault(a => a.CompanyId == body.CompanyId)
            ?? throw DomainException.Forbidden("not-a-member", "This Ozon ID has no account in that company.");
        if (!await ozonId.UseTrustedDeviceAsync(caller.DeviceKey, account.AccountId))
        {
            throw DomainException.Forbidden("password-required",
                "This device has not been used for this account yet: log in once with the account's email and password.");
        }

        var current = await sessions.GetScopeAsync(caller.SessionId);
        return TypedResults.Ok(await sessions.StartAsync(
            new SessionScope(caller.OzonId, current.DeviceId, account.AccountId, account.CompanyId, account.Role)));
    }
}
