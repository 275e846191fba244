namespace OzonActors.Grains.OzonId;

/// <summary>Ozon ID rules (configuration section <c>OzonId</c>); defaults are the values of RULES §4.</summary>
public sealed class OzonIdOptions
{
    public const string Section = "OzonId";

    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxWrongAttempts { get; set; } = 5;

    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(60);

    public int MaxSendsPerPhonePerHour { get; set; } = 10;

    public int MaxSendsPerAddressPerHour { get; set; } = 10;

    /// <summary>Wrong passwords an account accepts per sliding hour before it answers 429.</summary>
    public int MaxPasswordFailuresPerHour { get; set; } = 10;

    public TimeSpan TrustedDeviceLifetime { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

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
