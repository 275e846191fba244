using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace OzonActors.Bench;

/// <summary>Prints, in markdown, the command that produced the figures, the machine, and the tables.</summary>
internal static class Report
{
    public static void Header(string scenario, BenchArgs args)
    {
        Console.WriteLine();
        Console.WriteLine($"## {scenario}");
        Console.WriteLine();
        Console.WriteLine("```");
        Console.WriteLine($"$ {args.CommandLine}");
        Console.WriteLine("```");
        Console.WriteLine();
        Facts(
            $"Machine: {Environment.ProcessorCount} cores ({CpuModel()}), {Bytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)} memory{LoadAverage()}",
            $"OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
            $".NET: {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC"
                + $"{(GCSettings.LatencyMode == GCLatencyMode.Batch ? "" : ", concurrent")}, run at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
    }

    public static void Facts(params IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Console.WriteLine($"- {line}");
        }

        Console.Out.Flush();
    }

    /// <summary>Progress for long runs goes to stderr, so stdout stays a clean report.</summary>
    public static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    public static string Verdict(bool met) => met ? "met" : "missed";

    public static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan span) => Decimal(span.TotalSeconds, span.TotalSeconds % 1 == 0 ? 0 : 1);

    public static string Decimal(double value, int digits) => value.ToString("F" + digits, CultureInfo.InvariantCulture);

    /// <summary>A duration in nanoseconds, in the unit that reads best.</summary>
    public static string Duration(long nanoseconds) => nanoseconds switch
    {
        < 10_000 => $"{Decimal(nanoseconds / 1e3, 2)} µs",
        < 1_000_000 => $"{Decimal(nanoseconds / 1e3, 0)} µs",
        < 1_000_000_000 => $"{Decimal(nanoseconds / 1e6, 2)} ms",
        _ => $"{Decimal(nanoseconds / 1e9, 2)} s",
    };

    public static string Bytes(double bytes) => bytes switch
    {
        < 10 * 1024 => $"{Number(bytes)} B",
        < 10 * 1024 * 1024 => $"{Number(bytes / 1024)} KiB",
        < 10L * 1024 * 1024 * 1024 => $"{Number(bytes / 1024 / 1024)} MiB",
        _ => $"{Number(bytes / 1024 / 1024 / 1024)} GiB",
    };

    /// <summary>Other work on the machine skews every figure; the load average at start says how much there was.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg")
                ? $", load average {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} at start"
                : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                : null;
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
