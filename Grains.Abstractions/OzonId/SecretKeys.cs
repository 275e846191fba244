using System.Security.Cryptography;
using System.Text;

namespace OzonActors.OzonId;

/// <summary>
/// Lookup keys derived from high-entropy secrets (invitation tokens, device ids): what grains are keyed by and tokens
/// carry, so that the secret itself is never stored.
/// </summary>
public static class SecretKeys
{
    /// <summary>SHA-256 of a high-entropy token, as lower-case hex (used as a lookup key).</summary>
    public static string TokenKey(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// What the server keeps and puts in tokens for a device: the device id itself stays only on the device, so a
    /// leaked access token or hub URL does not let anyone present themselves as a trusted device.
    /// </summary>
    public static string DeviceKey(string deviceId) => TokenKey($"device:{deviceId}");
}
