namespace OzonActors.OzonId;

/// <summary>How a login code reaches the phone.</summary>
public enum CodeChannel
{
    /// <summary>A text message.</summary>
    Sms,

    /// <summary>A voice call that reads the code.</summary>
    Call,
}

/// <summary>What a code proves once it is verified.</summary>
public enum ChallengePurpose
{
    /// <summary>Log in with the phone.</summary>
    Login,

    /// <summary>Phone change, step 1: the current phone confirms.</summary>
    PhoneChangeCurrent,

    /// <summary>Phone change, step 2: the new phone confirms.</summary>
    PhoneChangeNew,
}

/// <summary>A role inside a seller company.</summary>
public enum CompanyRole
{
    /// <summary>Owns the company account; invites and deletes.</summary>
    Director,

    /// <summary>Invites and deletes.</summary>
    Administrator,

    /// <summary>Works in the account; cannot manage people.</summary>
    Employee,
}

/// <summary>A request for a code to <paramref name="Phone"/> (normalized digits), from <paramref name="ClientAddress"/>.</summary>
public sealed record CodeRequest(string Phone, CodeChannel Channel, string ClientAddress, ChallengePurpose Purpose, Guid? OzonId);

/// <summary>A code was sent. The phone is only ever shown masked.</summary>
public sealed record ChallengeIssued(Guid ChallengeId, DateTimeOffset ExpiresAt, DateTimeOffset ResendAfter, string MaskedPhone);

/// <summary>A code was verified: what it proved.</summary>
public sealed record VerifiedChallenge(string Phone, ChallengePurpose Purpose, Guid? OzonId);

/// <summary>The ids a sign-up or an invitation's acceptance creates its account and (for a sign-up) its company under.</summary>
public sealed record EmailReservation(Guid AccountId, Guid CompanyId);

/// <summary>A seller account as its Ozon ID sees it.</summary>
public sealed record LinkedAccount(Guid AccountId, Guid CompanyId, string CompanyName, CompanyRole Role);

/// <summary>An Ozon ID's own view of itself.</summary>
public sealed record OzonIdProfile(Guid OzonId, string MaskedPhone, bool IsModerator, IReadOnlyList<LinkedAccount> Accounts)
{
    /// <summary>
    /// RULES §4: one account per person per company. Throws 409 when this Ozon ID already holds an account of
    /// <paramref name="companyId"/> other than <paramref name="accountId"/>.
    /// </summary>
    public void EnsureNoOtherAccountIn(Guid companyId, Guid? accountId = null)
    {
        if (Accounts.Any(a => a.CompanyId == companyId && a.AccountId != accountId))
        {
            throw SecondAccountInCompany();
        }
    }

    /// <summary>The 409 of a second account of one company for one person.</summary>
    public static DomainException SecondAccountInCompany() =>
        DomainException.Conflict("one-account-per-company", "This Ozon ID already holds an account in this company.");
}

/// <summary>A seller account (email + password) inside a company.</summary>
public sealed record SellerAccountInfo(Guid AccountId, Guid CompanyId, string Email, CompanyRole Role, Guid? OzonId, bool Deleted);

/// <summary>A member of a company as the company sees it.</summary>
public sealed record CompanyMember(Guid AccountId, string Email, CompanyRole Role);

/// <summary>A company with its members.</summary>
public sealed record CompanyInfo(Guid CompanyId, string Name, IReadOnlyList<CompanyMember> Members);

/// <summary>An invitation was created; <paramref name="Token"/> is shown once and stored only hashed.</summary>
public sealed record InvitationCreated(Guid InvitationId, string Token, DateTimeOffset ExpiresAt);

/// <summary>What a session (refresh-token family) is scoped to: an Ozon ID, and optionally one seller account.</summary>
/// <param name="PasswordOnly">
/// Started by a seller account's email and password, not by a phone code: the session opens that seller account on that
/// device and nothing of the person's own side (customer, referral manager, phone, other companies).
/// </param>
public sealed record SessionScope(Guid OzonId, string DeviceId, Guid? AccountId, Guid? CompanyId, CompanyRole? Role, bool PasswordOnly = false);

/// <summary>A new refresh secret for a session.</summary>
public sealed record SessionTokens(Guid SessionId, string Secret, SessionScope Scope, DateTimeOffset ExpiresAt);

/// <summary>A message the development code provider kept instead of sending.</summary>
public sealed record DevMessage(CodeChannel Channel, string Text, DateTimeOffset At);
