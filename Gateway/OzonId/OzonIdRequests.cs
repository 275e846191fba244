using System.Text.RegularExpressions;
using OzonActors.Gateway.Api;
using OzonActors.OzonId;

namespace OzonActors.Gateway.OzonId;

public sealed record CodeBody(string? Phone, CodeChannel? Channel) : IValidatedRequest
{
    /// <summary>Derived, not input: kept out of the JSON contract, so the OpenAPI document does not offer it as a request field.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string NormalizedPhone => Phones.Normalize(Phone)!;

    public void Validate(RequestErrors errors)
    {
        if (errors.Text("phone", Phone, 32) && Phones.Normalize(Phone) is null)
        {
            errors.Add("phone", "'phone' must be a phone number in international form, e.g. +7 912 345-67-89.");
        }

        errors.Required("channel", Channel);
    }
}

public sealed record ResendBody(Guid? ChallengeId) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Required("challengeId", ChallengeId);
}

public sealed partial record LoginBody(Guid? ChallengeId, string? Code, string? DeviceId) : IValidatedRequest
{
    public void Validate(RequestErrors errors)
    {
        errors.Required("challengeId", ChallengeId);
        errors.Text("code", Code, 16);
        DeviceIds.Validate(errors, DeviceId, required: false);
    }
}

public sealed record PasswordBody(string? Email, string? Password, string? DeviceId) : IValidatedRequest
{
    public void Validate(RequestErrors errors)
    {
        errors.Email("email", Email);
        errors.Text("password", Password, 128);
        DeviceIds.Validate(errors, DeviceId, required: true);
    }
}

public sealed record RefreshBody(string? RefreshToken) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Text("refreshToken", RefreshToken, 200);
}

public sealed record SwitchBody(Guid? CompanyId) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Required("companyId", CompanyId);
}

public sealed record CreateCompanyBody(string? Name, string? DirectorEmail, string? Password) : IValidatedRequest
{
    public void Validate(RequestErrors errors)
    {
        errors.Name("name", Name, 200);
        errors.Email("directorEmail", DirectorEmail);
        errors.Password("password", Password);
    }
}

public sealed record LinkCompanyBody(string? Email, string? Password) : IValidatedRequest
{
    public void Validate(RequestErrors errors)
    {
        errors.Email("email", Email);
        errors.Text("password", Password, 128);
    }
}

public sealed record InviteBody(string? Email, CompanyRole? Role) : IValidatedRequest
{
    public void Validate(RequestErrors errors)
    {
        errors.Email("email", Email);
        errors.Required("role", Role);
    }
}

public sealed record AcceptInvitationBody(string? Password) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Password("password", Password);
}

/// <summary>The optional body of a phone change: which channel the current phone's code goes by.</summary>
public sealed record PhoneChangeBody(CodeChannel? Channel);

public sealed record ConfirmCodeBody(string? Code) : IValidatedRequest
{
    public void Validate(RequestErrors errors) => errors.Text("code", Code, 16);
}

public sealed record ChallengeResponse(Guid ChallengeId, DateTimeOffset ExpiresAt, DateTimeOffset ResendAfter, string MaskedPhone)
{
    public static ChallengeResponse From(ChallengeIssued issued) =>
        new(issued.ChallengeId, issued.ExpiresAt, issued.ResendAfter, issued.MaskedPhone);
}

/// <summary>
/// Device ids are opaque secrets the device makes once and keeps (e.g. a random UUID): letters, digits, '-' and '_',
/// 16 to 100 characters. The server keeps only their hash.
/// </summary>
internal static partial class DeviceIds
{
    public static void Validate(RequestErrors errors, string? deviceId, bool required)
    {
        if (deviceId is null && !required)
        {
            return;
        }

        if (errors.Text("deviceId", deviceId, 100) && (deviceId!.Length < 16 || !Pattern().IsMatch(deviceId)))
        {
            errors.Add("deviceId", "'deviceId' must be 16 to 100 letters, digits, '-' or '_' (a random id the device keeps).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Pattern();
}

/// <summary>Emails are compared trimmed and lower-cased.</summary>
internal static class Emails
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
