using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace OzonActors.Bench;

/// <summary>
/// What the bench process spent over a window: CPU time, GC pause time and collections per generation; with a local
/// PostgreSQL server, that server's CPU time too (its postmaster and every child process); and how busy the machine was.
/// </summary>
internal sealed class ProcessUsage
{
    /// <summary>Jiffies per second in /proc (USER_HZ, 100 on Linux).</summary>
    private const double Jiffies = 100;

    private readonly TimeSpan _cpu;
    private readonly TimeSpan _pause;
    private readonly int[] _collections;
    private readonly long _started;
    private readonly (long Busy, long Total)? _machine;
    private readonly int? _postmaster;
    private readonly long _postgres;

    private ProcessUsage(int? postmaster)
    {
        _postmaster = postmaster;
        _postgres = postmaster is { } pid ? ServerJiffies(pid) : 0;
        using var process = Process.GetCurrentProcess();
        _cpu = process.TotalProcessorTime;
        _pause = GC.GetTotalPauseDuration();
        _collections = Collections();
        _started = Stopwatch.GetTimestamp();
        _machine = MachineTicks();
    }

    public static ProcessUsage Start() => new(null);

    /// <summary>Starts measuring, the PostgreSQL server behind <paramref name="dataSource"/> included if it runs on this machine.</summary>
    public static async Task<ProcessUsage> StartAsync(NpgsqlDataSource dataSource) => new(await FindPostmasterAsync(dataSource));

    /// <summary>
    /// "12.3 s CPU in 10.0 s on 2 cores; 250 ms GC pauses (...); machine 97 % busy", from the start until now. The machine
    /// figure counts every process (PostgreSQL and whatever else runs), from /proc/stat.
    /// </summary>
    public string Describe()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime - _cpu;
        var pause = GC.GetTotalPauseDuration() - _pause;
        var collections = Collections().Zip(_collections, (after, before) => after - before);
        var postgres = _postmaster is { } pid
            ? $"; PostgreSQL server {Report.Decimal((ServerJiffies(pid) - _postgres) / Jiffies, 1)} s CPU"
            : "";
        var machine = "";
        if (_machine is { } before && MachineTicks() is { } after && after.Total > before.Total)
        {
            machine = $"; machine {Report.Decimal(100.0 * (after.Busy - before.Busy) / (after.Total - before.Total), 0)} % busy "
                + $"({Report.Decimal((after.Busy - before.Busy) / Jiffies, 1)} CPU-s, all processes)";
        }

        return $"bench {Report.Decimal(cpu.TotalSeconds, 1)} s CPU in {Report.Decimal(Stopwatch.GetElapsedTime(_started).TotalSeconds, 1)} s "
            + $"on {Environment.ProcessorCount} cores, {Report.Decimal(pause.TotalMilliseconds, 0)} ms GC pauses (gen0/1/2 collections "
            + $"{string.Join('/', collections)}){postgres}{machine}";
    }

    /// <summary>CPU seconds spent since the start: by the bench process, by the PostgreSQL server (0 if not measured), by the whole machine.</summary>
    public (double Bench, double Postgres, double Machine) Spent()
    {
        using var process = Process.GetCurrentProcess();
        var postgres = _postmaster is { } pid ? (ServerJiffies(pid) - _postgres) / Jiffies : 0;
        var machine = _machine is { } before && MachineTicks() is { } after ? (after.Busy - before.Busy) / Jiffies : 0;
        return ((process.TotalProcessorTime - _cpu).TotalSeconds, postgres, machine);
    }

    /// <summary>User + system CPU seconds another process (e.g. a silo or gateway process) has spent so far; null if it is gone.</summary>
    public static double? CpuSeconds(int pid) => Stat(pid) is { } stat ? stat.Jiffies / Jiffies : null;

    /// <summary>The postmaster's pid, when the server runs on this machine (its checkpointer's parent), else null.</summary>
    private static async Task<int?> FindPostmasterAsync(NpgsqlDataSource dataSource)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'");
            if (await command.ExecuteScalarAsync() is not int checkpointer || Stat(checkpointer) is not { } stat)
            {
                return null;
            }

            return File.ReadAllText($"/proc/{stat.Parent}/comm").Trim().StartsWith("postgres", StringComparison.Ordinal) ? stat.Parent : null;
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>User + system jiffies of the postmaster and its live children (backends and auxiliary processes).</summary>
    private static long ServerJiffies(int postmaster)
    {
        long total = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } stat && (pid == postmaster || stat.Parent == postmaster))
            {
                total += stat.Jiffies;
            }
        }

        return total;
    }

    /// <summary>The parent pid and user + system jiffies of a process, from /proc/pid/stat; null if it is gone.</summary>
    private static (int Parent, long Jiffies)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static int[] Collections() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    /// <summary>Busy and total jiffies of all CPUs since boot (busy: all but idle and iowait), or null off Linux.</summary>
    private static (long Busy, long Total)? MachineTicks()
    {
        try
        {
            if (!File.Exists("/proc/stat"))
            {
                return null;
            }

            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Take(8).Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (Exception exception) when (exception is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
