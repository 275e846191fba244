using System.Globalization;

namespace OzonActors.Bench.Live;

/// <summary>The resident memory of a gateway process, found by the loopback address it listens on (Linux /proc).</summary>
internal static class GatewayMemory
{
    /// <summary>The id of the process whose command line has <c>--urls {address}</c>.</summary>
    public static int FindProcess(Uri baseAddress)
    {
        var urls = baseAddress.GetLeftPart(UriPartial.Authority);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/{pid}/cmdline separates arguments with NUL characters.
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                var index = Array.IndexOf(arguments, "--urls");
                if (index >= 0 && index + 1 < arguments.Length && arguments[index + 1] == urls)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }

        throw new InvalidOperationException($"No process listens with --urls {urls}.");
    }

    /// <summary>VmRSS of the process, in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
    }
}
