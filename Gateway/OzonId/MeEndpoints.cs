using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OzonActors.Gateway.Api;
using OzonActors.Gateway.Auth;
using OzonActors.OzonId;

namespace OzonActors.Gateway.OzonId;

/// <summary>The caller's own Ozon ID: profile, adding an existing company, changing the phone.</summary>
public static class MeEndpoints
{
    public sealed record PhoneChanged(string MaskedPhone);

    public sealed record NewPhoneBody(string? Phone, CodeChannel? Channel) : IValidatedRequest
    {
        public void Validate(RequestErrors errors) => new CodeBody(Phone, Channel ?? CodeChannel.Sms).Validate(errors);
    }

    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Ozon ID").RequireAuthorization(Policies.Customer);
        me.MapGet("/", GetAsync).WithName("GetMe");
        var person = me.MapGroup(string.Empty).RequireAuthorization(Policies.Person);
        person.MapPost("/companies/link", LinkCompanyAsync).Validates<LinkCompanyBody>().WithName("LinkCompany");
        person.MapPost("/phone/change", BeginPhoneChangeAsync).WithName("BeginPhoneChange");
        person.MapPost("/phone/change/confirm-current", ConfirmCurrentAsync).Validates<ConfirmCodeBody>().WithName("ConfirmCurrentPhone");
        person.MapPost("/phone/change/new", ProposeNewPhoneAsync).Validates<NewPhoneBody>().WithName("ProposeNewPhone");
        person.MapPost("/phone/change/confirm-new", ConfirmNewAsync).Validates<ConfirmCodeBody>().WithName("ConfirmNewPhone");
        return app;
    }

    /// <summary>The profile; a password-only token sees only the account it opens, not the person's other companies.</summary>
    private static async Task<Ok<OzonIdProfile>> GetAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = user.GetCaller();
        var profile = await grains.GetGrain<IOzonIdGrain>(caller.OzonId).GetAsync();
        return TypedResults.Ok(caller.PasswordOnly
            ? profile with { Accounts = [.. profile.Accounts.Where(a => a.AccountId == caller.AccountId)] }
            : profile);
    }

    /// <summary>Adds an existing company by its email and password; the device is trusted for it since the password was used here.</summary>
    private static async Task<Ok<LinkedAccount>> LinkCompanyAsync(LinkCompanyBody body, HttpContext context, IGrainFactory grains)
    {
        var caller = context.User.GetCaller();
        var account = await Passwords.VerifyAsync(grains, body.Email!, body.Password!, context);
        var accountId = account.AccountId;
        var ozonId = grains.GetGrain<IOzonIdGrain>(caller.OzonId);
        (await ozonId.GetAsync()).EnsureNoOtherAccountIn(account.CompanyId, accountId);
        await grains.GetGrain<ISellerAccountGrain>(accountId).LinkOzonIdAsync(caller.OzonId);
        var company = await grains.GetGrain<ICompanyGrain>(account.CompanyId).GetAsync();
        var linked = new LinkedAccount(accountId, account.CompanyId, company.Name, account.Role);
        await ozonId.LinkAccountAsync(linked);
        await ozonId.TrustDeviceAsync(caller.DeviceKey, accountId);
        return TypedResults.Ok(linked);
    }

    /// <summary>The body is optional: <c>{channel}</c>, SMS by default.</summary>
    private static async Task<Accepted<ChallengeResponse>> BeginPhoneChangeAsync(PhoneChangeBody? body, HttpContext context, IGrainFactory grains)
    {
        var issued = await grains.GetGrain<IOzonIdGrain>(context.User.GetCaller().OzonId)
            .BeginPhoneChangeAsync(body?.Channel ?? CodeChannel.Sms, ClientAddress.Of(context));
        return TypedResults.Accepted((string?)null, ChallengeResponse.From(issued));
    }

    private static async Task<NoContent> ConfirmCurrentAsync(ConfirmCodeBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        await grains.GetGrain<IOzonIdGrain>(user.GetCaller().OzonId).ConfirmCurrentPhoneAsync(body.Code!.Trim());
        return TypedResults.NoContent();
    }

    private static async Task<Accepted<ChallengeResponse>> ProposeNewPhoneAsync(NewPhoneBody body, HttpContext context, IGrainFactory grains)
    {
        var issued = await grains.GetGrain<IOzonIdGrain>(context.User.GetCaller().OzonId)
            .ProposeNewPhoneAsync(Phones.Normalize(body.Phone)!, body.Channel ?? CodeChannel.Sms, ClientAddress.Of(context));
        return TypedResults.Accepted((string?)null, ChallengeResponse.From(issued));
    }

    private static async Task<Ok<PhoneChanged>> ConfirmNewAsync(ConfirmCodeBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var ozonId = grains.GetGrain<IOzonIdGrain>(user.GetCaller().OzonId);
        await ozonId.ConfirmNewPhoneAsync(body.Code!.Trim());
        return TypedResults.Ok(new PhoneChanged((await ozonId.GetAsync()).MaskedPhone));
    }
}
