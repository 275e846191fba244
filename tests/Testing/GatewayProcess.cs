using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OzonActors.Testing;

/// <summary>
/// A real Gateway (or Silo) process on free loopback ports, run from the project's build output with its own content
/// root (web pages). Several can share one database: each is a separate process, like in production.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    /// <summary>The signing key test gateways share, so a token from one is accepted by another.</summary>
    public const string SharedSigningKey = "test-signing-key-shared-by-every-test-gateway-0123456789";

    private readonly string _project;
    private readonly Dictionary<string, string?> _environment;
    private Process _process;
    private readonly StringBuilder _output = new();
    private readonly Persistence.AsyncSignal _printed = new();

    private readonly string _readyPath;

    private GatewayProcess(string project, Dictionary<string, string?> environment, Uri baseAddress, string readyPath)
    {
        _project = project;
        _readyPath = readyPath;
        _environment = environment;
        BaseAddress = baseAddress;
        _process = null!;
    }

    /// <summary>"Release" or "Debug": the configuration the calling binaries were built in, so the gateway run matches.</summary>
    public static string BuildConfiguration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";

    public Uri BaseAddress { get; }

    /// <summary>The Orleans silo-to-silo port of this process (a silo, or a co-hosting gateway), the same across restarts.</summary>
    public int SiloPort => int.Parse(_environment["Orleans__SiloPort"]!, System.Globalization.CultureInfo.InvariantCulture);

    public bool HasExited => _process.HasExited;

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// The first line printed, so far or from now on, that <paramref name="match"/> accepts; null if none came within
    /// <paramref name="timeout"/>.
    /// </summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var printed = _printed.Next;
            var output = Output;

            if (output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(match) is { } line)
            {
                return line;
            }

            try
            {
                await printed.WaitAsync(cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>Starts a gateway with <paramref name="settings"/> (configuration keys, e.g. <c>ConnectionStrings:Postgres</c>) and waits until it is ready.</summary>
    public static Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> settings) => StartAsync("Gateway", settings);

    /// <summary>
    /// Starts a gateway and waits only until it serves <c>/health/live</c> (a client gateway with no silo yet), or returns
    /// once it has exited (bad settings): see <see cref="HasExited"/> and <see cref="WaitForExitAsync"/>.
    /// </summary>
    public static Task<GatewayProcess> StartUnreadyAsync(IReadOnlyDictionary<string, string?> settings) =>
        StartAsync("Gateway", settings, "health/live");

    /// <summary>Starts a standalone <c>Silo</c> process (it needs <c>ConnectionStrings:Postgres</c>) and waits until it is Active.</summary>
    public static Task<GatewayProcess> StartSiloAsync(IReadOnlyDictionary<string, string?> settings) => StartAsync("Silo", settings);

    private static async Task<GatewayProcess> StartAsync(string project, IReadOnlyDictionary<string, string?> settings, string readyPath = "health/ready")
    {
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Gateway__Jwt__SigningKey"] = SharedSigningKey,
            ["Logging__LogLevel__Default"] = "Warning",

            // Own silo and client-gateway ports, so several can run side by side; kept across restarts.
            ["Orleans__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__AdvertisedIP"] = "127.0.0.1",
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new GatewayProcess(project, environment, new Uri($"http://127.0.0.1:{FreePort()}/"), readyPath);
        await process.LaunchAsync().ConfigureAwait(false);
        return process;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>Waits for the process to end by itself and answers its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies at once, mid-write if it is writing; nothing runs on its way out.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a process: a silo hands its grains over and leaves the membership table.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            if (Kill(_process.Id, 15) != 0)
            {
                throw new InvalidOperationException($"SIGTERM to {_process.Id} failed.");
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the process again after a kill or a stop, on the same ports with the same settings, and waits until it is ready.</summary>
    public async Task RestartAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
        lock (_output)
        {
            _output.AppendLine("--- restarted ---");
        }

        await LaunchAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>The folder holding OzonActors.sln, above the calling binaries.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OzonActors.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OzonActors.sln not found above the test binaries.");
    }

    private async Task LaunchAsync()
    {
        var projectDirectory = Path.Combine(RepositoryRoot(), _project);
        var dll = Path.Combine(projectDirectory, "bin", BuildConfiguration, "net10.0", $"OzonActors.{_project}.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { dll, "--urls", BaseAddress.ToString().TrimEnd('/'), "--contentRoot", projectDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync().ConfigureAwait(false);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private async Task WaitUntilReadyAsync()
    {
        using var client = CreateClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited && _readyPath == "health/live")
            {
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The {_project} process exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync(new Uri(_readyPath, UriKind.Relative)).ConfigureAwait(false)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"The {_project} process was not ready within 60 s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        _printed.Pulse();
    }

    /// <summary>A TCP port free on loopback now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
