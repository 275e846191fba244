using OzonActors.OzonId;

namespace OzonActors.Grains.OzonId;

/// <summary>An identity: its phone (never shown in full), seller accounts, trusted devices, a phone change in progress.</summary>
public sealed class OzonIdState
{
    public string Phone { get; set; } = "";

    public List<LinkedAccount> Accounts { get; set; } = [];

    public List<TrustedDevice> TrustedDevices { get; set; } = [];

    public PhoneChange? PendingPhoneChange { get; set; }
}

/// <summary>
/// A device on which email + password was used for an account: it may enter that account by Ozon ID until
/// <see cref="ExpiresAt"/>. Only the device key (SHA-256 of the device id) is kept, never the id itself.
/// </summary>
public sealed record TrustedDevice(string DeviceKey, Guid AccountId, DateTimeOffset ExpiresAt);

/// <summary>
/// A phone change: the current phone's challenge, whether it was confirmed, then the new phone and its challenge;
/// <see cref="NewConfirmed"/> once the new phone's code was verified and only moving the phone indexes remains.
/// </summary>
public sealed record PhoneChange(Guid CurrentChallengeId, bool CurrentConfirmed, string? NewPhone, Guid? NewChallengeId, bool NewConfirmed = false);
