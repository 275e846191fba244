using System.Security.Cryptography;
using System.Text;

namespace OzonActors.Grains.OzonId;

/// <summary>Codes and tokens: random, and stored only as hashes compared in constant time.</summary>
public static class Secrets
{
    /// <summary>A uniformly random 6-digit code.</summary>
    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A random URL-safe token of 32 bytes.</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewSalt() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>HMAC-SHA256 of <paramref name="secret"/> under <paramref name="salt"/>, as base64.</summary>
    public static string Hash(string secret, string salt) =>
        Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(salt), Encoding.UTF8.GetBytes(secret)));

    /// <summary>SHA-256 of a high-entropy token, as lower-case hex (used as a lookup key).</summary>
    public static string TokenKey(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// What the server keeps and puts in tokens for a device: the device id itself stays only on the device, so a
    /// leaked access token or hub URL does not let anyone present themselves as a trusted device.
    /// </summary>
    public static string DeviceKey(string deviceId) => TokenKey($"device:{deviceId}");

    public static bool Matches(string secret, string salt, string expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(Hash(secret, salt)), Convert.FromBase64String(expectedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
