using System.Text;

namespace OzonActors.OzonId;

/// <summary>Phone numbers: one normal form (country code and number, digits only), and the only way they are shown.</summary>
public static class Phones
{
    /// <summary>The digits of a phone number in international form, or null if it is not one. "8 912..." is read as "+7 912...".</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return null;
        }

        var digits = new StringBuilder(16);
        foreach (var (c, i) in input.Trim().Select((c, i) => (c, i)))
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (!(c is ' ' or '-' or '(' or ')' || (c == '+' && i == 0)))
            {
                return null;
            }
        }

        if (digits.Length == 11 && digits[0] == '8')
        {
            digits[0] = '7';
        }

        return digits.Length is >= 10 and <= 15 && digits[0] != '0' ? digits.ToString() : null;
    }

    /// <summary>A phone as people may see it: the country code and the last two digits, e.g. <c>+7 *** ***-**-67</c>.</summary>
    public static string Mask(string phone)
    {
        var countryLength = phone.Length == 11 ? 1 : Math.Max(1, phone.Length - 10);
        return $"+{phone[..countryLength]} *** ***-**-{phone[^2..]}";
    }
}
