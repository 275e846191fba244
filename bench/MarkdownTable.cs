namespace OzonActors.Bench;

/// <summary>A markdown table whose columns are padded to line up in a terminal too.</summary>
internal sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Print()
    {
        var widths = headers.Select((header, i) => _rows.Select(r => r[i].Length).Append(header.Length).Max()).ToArray();
        Console.WriteLine();
        Console.WriteLine(Line(headers, widths));
        Console.WriteLine(Line(widths.Select(w => new string('-', w)).ToArray(), widths));
        foreach (var row in _rows)
        {
            Console.WriteLine(Line(row, widths));
        }

        Console.WriteLine();
        Console.Out.Flush();
    }

    private static string Line(string[] cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((cell, i) => cell.PadRight(widths[i]))) + " |";
}
