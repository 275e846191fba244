using System.Security.Cryptography;
using System.Text;

namespace OzonActors.Grains.OzonId;

/// <summary>
/// Codes and tokens: random, and stored only as hashes compared in constant time. The lookup keys both sides derive
/// from secrets are <see cref="OzonActors.OzonId.SecretKeys"/>.
/// </summary>
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

    public static bool Matches(string secret, string salt, string expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(Hash(secret, salt)), Convert.FromBase64String(expectedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
