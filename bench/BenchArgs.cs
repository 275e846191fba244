using System.Globalization;

namespace OzonActors.Bench;

/// <summary>The scenario and options of one invocation, and the command line that reproduces it.</summary>
internal sealed class BenchArgs
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench -- <calls|writes|reminders|memory|returns|star-products|referral|all> [options]
               dotnet run -c Release --project bench -- <failover|cluster-returns> [options]
               dotnet run -c Release --project bench -- live [options]   (its own options: bench/Live/README.md)
          failover and cluster-returns start Silo and Gateway processes (built first in the bench's configuration) and
          are not part of "all"; see bench/README.md
          --seconds N        measured seconds per case (calls, writes; default 10)
          --warmup N         warm-up seconds before each measured case (default 2)
          --callers N        concurrent callers (calls, star-products orders, referral recording) or lifecycle
                             drivers (returns); default 64
          --concurrency A,B  concurrent grains / raw writers (writes; default 16,64), or HTTP lifecycle drivers
                             (cluster-returns; default 32)
          --payload N        characters of text in each written state (writes; default 200)
          --rounds N         alternating grain/raw slices the measured seconds are split into (writes; default 4)
          --count N          reminders per phase (reminders), activations (memory) or managers (referral); default 100000
          --spread N         seconds over which the spread phase's reminders fall due (reminders; default 60)
          --lead N           seconds between seeding reminders and the first due instant (reminders), or between the
                             clock's jump and the reward instant (referral); a silo starts in between (default 15)
          --requests N       return requests driven through their lifecycles (returns: default 10000;
                             cluster-returns: per silo count and concurrency, default 2000)
          --silos A,B        silo processes per case, each case on a fresh database with 2 client gateways
                             (cluster-returns; default 1,2,3)
          --kills N          silos killed with SIGKILL one after the other, in turn (failover; default 5)
          --grains N         return requests active on the victim silo before each kill (failover; default 1000)
          --deadlines N      return requests per kill whose New deadline falls due 3 s after it (failover; default 100)
          --saturate S       seconds of two busy loops per core after the kills: is any healthy silo declared dead? (failover; default 60, 0 skips)
          --views N          product page views ingested (star-products; default 1000000)
          --orders N         program orders ingested (star-products; default 100000)
          --sellers N        sellers the traffic is spread over (star-products; default 1000)
          --chunk N          views taken from the stream per batch, then grouped by seller (star-products; default 10000)
          --chunks N         batches of views in flight at once (star-products; default 4)
          --set Key=Value    configuration of the silo (of every Silo and Gateway process in failover and
                             cluster-returns), e.g. --set Reminders:RetryPeriod=00:00:02 or
                             --set Returns:Deadlines:New=00:00:05 (repeatable)
        """;

    private static readonly string[] Scenarios =
        ["calls", "writes", "reminders", "memory", "returns", "star-products", "referral", "failover", "cluster-returns", "all"];

    private readonly HashSet<string> _given = new(StringComparer.Ordinal);

    private BenchArgs(string scenario, string commandLine)
    {
        Scenario = scenario;
        CommandLine = commandLine;
    }

    public string Scenario { get; }

    /// <summary>The command that produced the figures, printed above every table.</summary>
    public string CommandLine { get; }

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(2);

    public int Callers { get; private set; } = 64;

    public IReadOnlyList<int> Concurrency { get; private set; } = [16, 64];

    public int PayloadChars { get; private set; } = 200;

    public int Rounds { get; private set; } = 4;

    public int Count { get; private set; } = 100_000;

    public TimeSpan Spread { get; private set; } = TimeSpan.FromSeconds(60);

    public TimeSpan Lead { get; private set; } = TimeSpan.FromSeconds(15);

    public int Requests { get; private set; } = 10_000;

    public int Views { get; private set; } = 1_000_000;

    public int Orders { get; private set; } = 100_000;

    public int Sellers { get; private set; } = 1_000;

    public int Chunk { get; private set; } = 10_000;

    public int ChunksInFlight { get; private set; } = 4;

    public IReadOnlyList<int> Silos { get; private set; } = [1, 2, 3];

    public int Kills { get; private set; } = 5;

    public int Grains { get; private set; } = 1000;

    public int Deadlines { get; private set; } = 100;

    /// <summary>Seconds of saturated CPU after the kills, watching that no healthy silo is declared dead (failover; 0: skip).</summary>
    public int Saturate { get; private set; } = 60;

    /// <summary>Configuration overrides handed to the silo (<c>--set Key=Value</c>).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the command line set <paramref name="option"/> (e.g. <c>--requests</c>), for scenarios whose default differs.</summary>
    public bool IsGiven(string option) => _given.Contains(option);

    /// <exception cref="ArgumentException">The arguments are not understood.</exception>
    public static BenchArgs Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || !Scenarios.Contains(args[0]))
        {
            throw new ArgumentException($"The first argument must be one of: {string.Join(", ", Scenarios)}.");
        }

#if DEBUG
        const string Configuration = "Debug";
#else
        const string Configuration = "Release";
#endif
        var result = new BenchArgs(
            args[0], $"dotnet run -c {Configuration} --project bench -- {string.Join(' ', args.Select(Quote))}");
        for (var i = 1; i < args.Count; i += 2)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
            result._given.Add(name);
            switch (name)
            {
                case "--seconds": result.Duration = Seconds(name, value); break;
                case "--warmup": result.Warmup = Seconds(name, value, allowZero: true); break;
                case "--callers": result.Callers = Positive(name, value); break;
                case "--concurrency": result.Concurrency = value.Split(',').Select(v => Positive(name, v)).ToArray(); break;
                case "--payload": result.PayloadChars = Positive(name, value); break;
                case "--rounds": result.Rounds = Positive(name, value); break;
                case "--count": result.Count = Positive(name, value); break;
                case "--spread": result.Spread = Seconds(name, value); break;
                case "--lead": result.Lead = Seconds(name, value, allowZero: true); break;
                case "--requests": result.Requests = Positive(name, value); break;
                case "--views": result.Views = Positive(name, value); break;
                case "--orders": result.Orders = Positive(name, value); break;
                case "--sellers": result.Sellers = Positive(name, value); break;
                case "--chunk": result.Chunk = Positive(name, value); break;
                case "--chunks": result.ChunksInFlight = Positive(name, value); break;
                case "--silos": result.Silos = value.Split(',').Select(v => Positive(name, v)).ToArray(); break;
                case "--kills": result.Kills = Positive(name, value); break;
                case "--grains": result.Grains = Positive(name, value); break;
                case "--deadlines": result.Deadlines = Positive(name, value); break;
                case "--saturate": result.Saturate = int.TryParse(value, out var seconds) && seconds >= 0 ? seconds
                    : throw new ArgumentException("--saturate must be a number of seconds, 0 or more."); break;
                case "--set": AddSetting(result, value); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return result;
    }

    private static void AddSetting(BenchArgs result, string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"--set expects Key=Value (was '{value}').");
        }

        result.Settings[value[..equals]] = value[(equals + 1)..];
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} expects a positive whole number (was '{value}').");

    private static TimeSpan Seconds(string name, string value, bool allowZero = false) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && (seconds > 0 || (allowZero && seconds == 0)) && seconds < 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{name} expects a number of seconds (was '{value}').");

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_.,:=/+@".Contains(c, StringComparison.Ordinal))
            ? arg
            : $"'{arg.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
