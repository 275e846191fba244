using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OzonActors.Gateway.Api;
using OzonActors.Gateway.Auth;
using OzonActors.OzonId;

namespace OzonActors.Gateway.OzonId;

/// <summary>Seller companies: sign-up, members, invitations, deleting accounts.</summary>
public static class CompanyEndpoints
{
    public sealed record CompanyCreated(Guid CompanyId, Guid AccountId);

    public static IEndpointRouteBuilder MapCompanyApi(this IEndpointRouteBuilder app)
    {
        var companies = app.MapGroup("/api/companies").WithTags("Companies");
        companies.MapPost("/", CreateAsync).Validates<CreateCompanyBody>().RequireAuthorization(Policies.Person).WithName("CreateCompany");
        companies.MapGet("/{companyId:guid}", GetAsync).RequireAuthorization(Policies.Seller).WithName("GetCompany");
        companies.MapPost("/{companyId:guid}/invitations", InviteAsync).Validates<InviteBody>()
            .RequireAuthorization(Policies.Seller).WithName("InviteToCompany");
        companies.MapDelete("/{companyId:guid}/accounts/{accountId:guid}", DeleteAccountAsync)
            .RequireAuthorization(Policies.Seller).WithName("DeleteAccount");
        app.MapPost("/api/invitations/{token}/accept", AcceptAsync).Validates<AcceptInvitationBody>()
            .RequireAuthorization(Policies.Person).WithTags("Companies").WithName("AcceptInvitation");
        return app;
    }

    /// <summary>Seller sign-up: a company with its director account, linked to the caller's Ozon ID and trusted on this device.</summary>
    private static async Task<Created<CompanyCreated>> CreateAsync(CreateCompanyBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = user.GetCaller();
        var email = Emails.Normalize(body.DirectorEmail!);

        // Each step is idempotent, and the email's reservation is confirmed last: a crash or a failure anywhere in
        // between is repaired by the email index within a minute, and the same person retrying continues this attempt.
        var emailIndex = grains.GetGrain<IEmailIndexGrain>(email);
        var (accountId, companyId) = await emailIndex.ReserveAsync(new EmailReservation(Guid.NewGuid(), Guid.NewGuid()), caller.OzonId);
        await grains.GetGrain<ISellerAccountGrain>(accountId).CreateAsync(companyId, email, body.Password!, CompanyRole.Director, caller.OzonId);
        var company = grains.GetGrain<ICompanyGrain>(companyId);
        await company.CreateAsync(body.Name!.Trim(), accountId, email);
        var ozonId = grains.GetGrain<IOzonIdGrain>(caller.OzonId);
        await ozonId.LinkAccountAsync(new LinkedAccount(accountId, companyId, (await company.GetAsync()).Name, CompanyRole.Director));
        await ozonId.TrustDeviceAsync(caller.DeviceKey, accountId);
        await emailIndex.ConfirmAsync(accountId);
        return TypedResults.Created($"/api/companies/{companyId}", new CompanyCreated(companyId, accountId));
    }

    private static async Task<Ok<CompanyInfo>> GetAsync(Guid companyId, ClaimsPrincipal user, IGrainFactory grains)
    {
        user.GetCaller().RequireCompany(companyId);
        return TypedResults.Ok(await grains.GetGrain<ICompanyGrain>(companyId).GetAsync());
    }

    private static async Task<Created<InvitationCreated>> InviteAsync(Guid companyId, InviteBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (accountId, _) = user.GetCaller().RequireCompany(companyId);
        var invitation = await grains.GetGrain<ICompanyGrain>(companyId).InviteAsync(accountId, Emails.Normalize(body.Email!), body.Role!.Value);
        return TypedResults.Created($"/api/invitations/{invitation.Token}", invitation);
    }

    /// <summary>The invitee, logged in by Ozon ID, sets the account's password; the account is linked and this device trusted.</summary>
    private static async Task<Ok<LinkedAccount>> AcceptAsync(string token, AcceptInvitationBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (token.Length is 0 or > 100)
        {
            throw DomainException.NotFound("invitation-not-found", "No such invitation.");
        }

        var caller = user.GetCaller();
        var account = await grains.GetGrain<IInvitationGrain>(SecretKeys.TokenKey(token)).AcceptAsync(caller.OzonId, body.Password!);
        await grains.GetGrain<IOzonIdGrain>(caller.OzonId).TrustDeviceAsync(caller.DeviceKey, account.AccountId);
        return TypedResults.Ok(account);
    }

    private static async Task<NoContent> DeleteAccountAsync(Guid companyId, Guid accountId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (byAccountId, _) = user.GetCaller().RequireCompany(companyId);
        await grains.GetGrain<ICompanyGrain>(companyId).RemoveMemberAsync(byAccountId, accountId);
        return TypedResults.NoContent();
    }
}
