namespace OzonActors.OzonId;

/// <summary>One code request: the code (stored hashed), its expiry, tries and resends.</summary>
public interface ILoginChallengeGrain : IGrainWithGuidKey
{
    /// <summary>Creates the code, sends it and returns when it expires and when a new one may be asked for.</summary>
    Task<ChallengeIssued> StartAsync(CodeRequest request);

    /// <summary>Sends a new code (the old one stops working) once the cooldown has passed.</summary>
    Task<ChallengeIssued> ResendAsync(string clientAddress);

    /// <summary>Checks a code: single use, valid 5 minutes, at most 5 wrong tries.</summary>
    Task<VerifiedChallenge> VerifyAsync(string code);
}

/// <summary>A sliding hourly quota of code sends, for one phone or one client address.</summary>
public interface ISendQuotaGrain : IGrainWithStringKey
{
    /// <summary>Takes one send from the quota, or throws a rate-limit error.</summary>
    /// <param name="maxPerHour">Sends allowed in any sliding hour.</param>
    /// <param name="minInterval">The least time between two sends (the per-phone cooldown); zero for none.</param>
    Task ConsumeAsync(int maxPerHour, TimeSpan minInterval);
}

/// <summary>
/// Wrong passwords from one client address (<c>source:…</c>), or for one email from one address (<c>email:…|…</c>),
/// in a sliding hour. Counted alike whether the email has an account or not, so the limit tells a guesser nothing.
/// </summary>
public interface IPasswordAttemptsGrain : IGrainWithStringKey
{
    /// <summary>Counts an attempt before the password is checked, or throws 429 when <paramref name="maxPerHour"/> are spent.</summary>
    Task BeginAsync(int maxPerHour);

    /// <summary>The attempt was the right password: it does not count.</summary>
    Task ForgiveAsync();
}

/// <summary>The index from a phone number to its one Ozon ID.</summary>
public interface IPhoneGrain : IGrainWithStringKey
{
    /// <summary>The phone's Ozon ID, created on its first login.</summary>
    Task<Guid> GetOrCreateOzonIdAsync();

    /// <summary>The phone's Ozon ID, if it has one.</summary>
    Task<Guid?> FindAsync();

    /// <summary>Points this phone at an Ozon ID (phone change); fails if another Ozon ID holds it.</summary>
    Task AssignAsync(Guid ozonId);

    /// <summary>Frees this phone if <paramref name="ozonId"/> holds it.</summary>
    Task ReleaseAsync(Guid ozonId);
}

/// <summary>An identity: its phone, its seller accounts, its trusted devices, a phone change in progress.</summary>
public interface IOzonIdGrain : IGrainWithGuidKey
{
    /// <summary>Creates the identity for <paramref name="phone"/> (idempotent).</summary>
    Task InitializeAsync(string phone);

    /// <summary>The identity with its masked phone and its seller accounts.</summary>
    Task<OzonIdProfile> GetAsync();

    /// <summary>Links a seller account to this identity.</summary>
    Task LinkAccountAsync(LinkedAccount account);

    /// <summary>Forgets a deleted seller account.</summary>
    Task UnlinkAccountAsync(Guid accountId);

    /// <summary>Marks the device trusted for the account (after email + password there). Devices are named by their key: a hash of the device id.</summary>
    Task TrustDeviceAsync(string deviceKey, Guid accountId);

    /// <summary>The accounts this device may enter without a password (read only).</summary>
    Task<IReadOnlyList<Guid>> GetTrustedAccountsAsync(string deviceKey);

    /// <summary>True if the device is trusted for the account; renews the trust.</summary>
    Task<bool> UseTrustedDeviceAsync(string deviceKey, Guid accountId);

    /// <summary>Phone change, step 1: sends a code to the current phone.</summary>
    Task<ChallengeIssued> BeginPhoneChangeAsync(CodeChannel channel, string clientAddress);

    /// <summary>Phone change, step 2: the current phone's code.</summary>
    Task ConfirmCurrentPhoneAsync(string code);

    /// <summary>Phone change, step 3: sends a code to the new phone.</summary>
    Task<ChallengeIssued> ProposeNewPhoneAsync(string phone, CodeChannel channel, string clientAddress);

    /// <summary>Phone change, step 4: the new phone's code; the old phone is told by SMS.</summary>
    Task ConfirmNewPhoneAsync(string code);
}

/// <summary>Keeps emails unique across seller accounts.</summary>
public interface IEmailIndexGrain : IGrainWithStringKey
{
    /// <summary>
    /// Step 1 of a sign-up or an invitation's acceptance by <paramref name="ozonId"/>: reserves the email for
    /// <paramref name="proposed"/> until <see cref="ConfirmAsync"/>. A reservation never confirmed is repaired within a
    /// minute: completed if its account became a member of its company, released (and the account deleted) if not.
    /// The same person's pending reservation is returned again, so a retried attempt continues with the same ids.
    /// Fails with 409 <c>email-taken</c> if any other account holds or reserves the email.
    /// </summary>
    Task<EmailReservation> ReserveAsync(EmailReservation proposed, Guid ozonId);

    /// <summary>The last step: the reservation of <paramref name="accountId"/> becomes a claim. Idempotent.</summary>
    Task ConfirmAsync(Guid accountId);

    /// <summary>The holder, if any.</summary>
    Task<Guid?> FindAsync();

    /// <summary>
    /// Checks the password of the email's account, tried from <paramref name="clientAddress"/>. An email without an
    /// account answers exactly like a wrong password (the same 401, in the same time, and the same 429 once the
    /// address has spent its attempts for the email or in all).
    /// </summary>
    Task<SellerAccountInfo> VerifyPasswordAsync(string password, string clientAddress);

    /// <summary>Frees the email if <paramref name="accountId"/> holds it.</summary>
    Task ReleaseAsync(Guid accountId);
}

/// <summary>A seller account: email, hashed password, company, role, linked Ozon ID.</summary>
public interface ISellerAccountGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Creates the account; the password is stored hashed. Repeating it for the same company, email and Ozon ID (a
    /// retried sign-up) sets the password again; anything else is 409 <c>account-exists</c>.
    /// </summary>
    Task CreateAsync(Guid companyId, string email, string password, CompanyRole role, Guid? ozonId);

    /// <summary>The account.</summary>
    Task<SellerAccountInfo> GetAsync();

    /// <summary>Checks the password; a wrong one, a deleted account or a missing one are the same 401.</summary>
    Task<SellerAccountInfo> VerifyPasswordAsync(string password);

    /// <summary>Links the account to an Ozon ID; linking cannot be turned off, nor moved to another Ozon ID.</summary>
    Task LinkOzonIdAsync(Guid ozonId);

    /// <summary>Deletes the account: it can no longer log in.</summary>
    Task DeleteAsync();
}

/// <summary>A seller company: its accounts with roles, invitations.</summary>
public interface ICompanyGrain : IGrainWithGuidKey
{
    /// <summary>Creates the company with its director; idempotent for the same director.</summary>
    Task CreateAsync(string name, Guid directorAccountId, string directorEmail);

    /// <summary>The company and its members.</summary>
    Task<CompanyInfo> GetAsync();

    /// <summary>A director or administrator invites an email with a role.</summary>
    Task<InvitationCreated> InviteAsync(Guid byAccountId, string email, CompanyRole role);

    /// <summary>Adds the account an accepted invitation created; idempotent.</summary>
    Task AddMemberAsync(Guid invitationId, CompanyMember member);

    /// <summary>The member with this account, if the company exists and has it.</summary>
    Task<CompanyMember?> FindMemberAsync(Guid accountId);

    /// <summary>A director or administrator deletes an account of the company.</summary>
    Task RemoveMemberAsync(Guid byAccountId, Guid accountId);
}

/// <summary>An invitation, keyed by the hash of its token.</summary>
public interface IInvitationGrain : IGrainWithStringKey
{
    /// <summary>Records the invitation.</summary>
    Task CreateAsync(Guid invitationId, Guid companyId, string email, CompanyRole role, DateTimeOffset expiresAt);

    /// <summary>Creates the invited account, linked to <paramref name="ozonId"/>.</summary>
    Task<LinkedAccount> AcceptAsync(Guid ozonId, string password);
}

/// <summary>A login session: a family of rotating refresh secrets; reusing an old secret revokes the family.</summary>
public interface IRefreshSessionGrain : IGrainWithGuidKey
{
    /// <summary>Starts the session with its first secret.</summary>
    Task<SessionTokens> StartAsync(SessionScope scope);

    /// <summary>Swaps the current secret for a new one; an old secret revokes the whole family.</summary>
    Task<SessionTokens> RotateAsync(string secret);

    /// <summary>The scope of a live session; a revoked or expired one is a 401.</summary>
    Task<SessionScope> GetScopeAsync();

    /// <summary>Ends the session (logout): no secret of it works again.</summary>
    Task RevokeAsync();
}

/// <summary>
/// Development only: the messages the development code provider kept instead of sending, for one phone (keyed by the
/// normalized phone). A grain, so that any gateway of a cluster shows what any silo kept.
/// </summary>
public interface IDevSmsOutboxGrain : IGrainWithStringKey
{
    /// <summary>Keeps a message sent to this phone.</summary>
    Task AddAsync(DevMessage message);

    /// <summary>The messages sent to this phone, newest first; a 404 unless the development provider is on.</summary>
    Task<IReadOnlyList<DevMessage>> GetMessagesAsync();
}
