using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OzonActors.Gateway.Api;

/// <summary>
/// Reads an instant only as an ISO-8601 string with an explicit offset (<c>Z</c> or <c>±hh:mm</c>) and a year from 2000:
/// "2026-11-29T10:00:00" could be any of 24 hours, and year 0001 is nobody's order date. Writes the round-trip form.
/// </summary>
public sealed class StrictInstantConverter : JsonConverter<DateTimeOffset>
{
    private const int FirstYear = 2000;

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || !HasOffset(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new JsonException("must be an ISO-8601 instant with an offset, e.g. 2026-11-29T10:00:00+03:00 or 2026-11-29T07:00:00Z.");
        }

        return value.Year >= FirstYear ? value : throw new JsonException($"must be an instant from the year {FirstYear} on.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    private static bool HasOffset(string text) =>
        text.Contains('T', StringComparison.OrdinalIgnoreCase)
        && (text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':'));
}
