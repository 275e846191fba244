using System.Globalization;

namespace OzonActors.Bench.Live;

/// <summary>Options of the <c>live</c> scenario and the command line that reproduces them.</summary>
internal sealed class LiveOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench -- live [options]
          --clients N        connected clients (default 1000)
          --per-company N    clients per seller company; each event reaches this many (default 4)
          --rates A,B,...    events/s: the first is the target rate, the rest the step-up (default 500,1000,1500,2000,3000,4000)
          --seconds N        measured seconds per rate (default 5)
          --warmup N         warm-up seconds before each measured rate (default 3)
          --settle N         seconds idle connections settle before memory is read (default 5)
          --gateways N       1 (default): one gateway co-hosting a silo, events committed by a silo in the bench process;
                             2: two client gateways (Gateway:Silo = Client) in front of Silo processes, events written
                             over HTTP through the first (invitations), the clients connected to the second
          --silos N          Silo processes behind the two client gateways (--gateways 2 only; default 2)
        """;

    private LiveOptions(string commandLine) => CommandLine = commandLine;

    public string CommandLine { get; }

    public int Clients { get; private set; } = 1000;

    public int PerCompany { get; private set; } = 4;

    public IReadOnlyList<int> Rates { get; private set; } = [500, 1000, 1500, 2000, 3000, 4000];

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(5);

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(3);

    public TimeSpan Settle { get; private set; } = TimeSpan.FromSeconds(5);

    /// <summary>1: the co-hosting gateway of today; 2: a writer and a listener client gateway in front of Silo processes.</summary>
    public int Gateways { get; private set; } = 1;

    /// <summary>Silo processes behind the client gateways (with <see cref="Gateways"/> = 2).</summary>
    public int Silos { get; private set; } = 2;

    /// <summary>Events are written through one client gateway and pushed by another.</summary>
    public bool AcrossGateways => Gateways == 2;

    public int Companies => (Clients + PerCompany - 1) / PerCompany;

    /// <summary>Parses the arguments after <c>live</c>.</summary>
    /// <exception cref="ArgumentException">The arguments are not understood.</exception>
    public static LiveOptions Parse(IReadOnlyList<string> args)
    {
#if DEBUG
        const string Configuration = "Debug";
#else
        const string Configuration = "Release";
#endif
        var options = new LiveOptions($"dotnet run -c {Configuration} --project bench -- live {string.Join(' ', args)}".TrimEnd());
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--clients": options.Clients = Positive(name, value); break;
                case "--per-company": options.PerCompany = Positive(name, value); break;
                case "--rates": options.Rates = value.Split(',').Select(v => Positive(name, v)).ToArray(); break;
                case "--seconds": options.Duration = TimeSpan.FromSeconds(Positive(name, value)); break;
                case "--warmup": options.Warmup = TimeSpan.FromSeconds(int.TryParse(value, CultureInfo.InvariantCulture, out var w) && w >= 0
                    ? w : throw new ArgumentException($"{name} expects seconds (was '{value}').")); break;
                case "--settle": options.Settle = TimeSpan.FromSeconds(Positive(name, value)); break;
                case "--gateways": options.Gateways = Positive(name, value) is var gateways and (1 or 2)
                    ? gateways : throw new ArgumentException($"{name} expects 1 or 2 (was '{value}')."); break;
                case "--silos": options.Silos = Positive(name, value); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return !options.AcrossGateways && args.Contains("--silos")
            ? throw new ArgumentException("--silos applies to --gateways 2 only.")
            : options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} expects a positive whole number (was '{value}').");
}
