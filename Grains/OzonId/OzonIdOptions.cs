namespace OzonActors.Grains.OzonId;

/// <summary>Ozon ID rules (configuration section <c>OzonId</c>); defaults are the values of RULES §4.</summary>
public sealed class OzonIdOptions
{
    public const string Section = "OzonId";

    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxWrongAttempts { get; set; } = 5;

    /// <summary>How soon one code request may ask for a new code (<c>/api/auth/code/resend</c>).</summary>
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The least time between two codes to one phone, whichever endpoint asks (a fresh code request too); unset: the
    /// <see cref="ResendCooldown"/>.
    /// </summary>
    public TimeSpan? PhoneCodeInterval { get; set; }

    public int MaxSendsPerPhonePerHour { get; set; } = 10;

    public int MaxSendsPerAddressPerHour { get; set; } = 10;

    /// <summary>
    /// Password attempts per sliding hour for one email from one client address before it answers 429, counted the
    /// same for an email with no account. Per address and email, so a guesser elsewhere cannot lock the owner out.
    /// </summary>
    public int MaxPasswordFailuresPerHour { get; set; } = 10;

    /// <summary>Password attempts per sliding hour from one client address, whatever the email.</summary>
    public int MaxPasswordFailuresPerSourcePerHour { get; set; } = 50;

    public TimeSpan TrustedDeviceLifetime { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a sign-up or an invitation's acceptance may hold its email reserved before a reminder completes or
    /// undoes it (a crash or a failed step between its grains).
    /// </summary>
    public TimeSpan ReservationRepairAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A login session (refresh-token family) ends after this long without a refresh.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Phones whose Ozon ID has the Moderator role.</summary>
    public List<string> Moderators { get; set; } = [];

    public SmsOptions Sms { get; set; } = new();
}

/// <summary>How codes are delivered (<c>OzonId:Sms</c>).</summary>
public sealed class SmsOptions
{
    public const string DevProvider = "Dev";
    public const string HttpProvider = "Http";

    /// <summary><c>Dev</c> keeps messages in memory (served by <c>GET /api/dev/sms</c>); <c>Http</c> posts them to <see cref="Url"/>.</summary>
    public string? Provider { get; set; }

    public Uri? Url { get; set; }
}
