using System.Globalization;

namespace OzonActors.Persistence.Events;

/// <summary>
/// Where an event stands in the log: the committing transaction, then the row's sequence within the log.
/// Its string form (two 16-digit hex numbers) orders the same way as the positions, so clients compare strings.
/// </summary>
public readonly record struct EventPosition(long Transaction, long Sequence) : IComparable<EventPosition>
{
    /// <summary>Before every event.</summary>
    public static EventPosition Start { get; } = new(0, 0);

    public int CompareTo(EventPosition other)
    {
        var byTransaction = Transaction.CompareTo(other.Transaction);
        return byTransaction != 0 ? byTransaction : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(EventPosition left, EventPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(EventPosition left, EventPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(EventPosition left, EventPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(EventPosition left, EventPosition right) => left.CompareTo(right) >= 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Transaction:x16}-{Sequence:x16}");

    /// <summary>Parses the string form; null, empty or "0" mean <see cref="Start"/>.</summary>
    public static bool TryParse(string? text, out EventPosition position)
    {
        position = Start;
        if (string.IsNullOrEmpty(text) || text == "0")
        {
            return true;
        }

        if (text.Length != 33 || text[16] != '-'
            || !long.TryParse(text.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var transaction)
            || !long.TryParse(text.AsSpan(17), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var sequence)
            || transaction < 0 || sequence < 0)
        {
            return false;
        }

        position = new EventPosition(transaction, sequence);
        return true;
    }
}
