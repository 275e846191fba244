using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OzonActors.Testing;

/// <summary>
/// A real Gateway process on a free loopback port, run from the Gateway project's build output with its own
/// content root (web pages). Several can share one database: each is a separate process, like in production.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    /// <summary>The signing key test gateways share, so a token from one is accepted by another.</summary>
    public const string SharedSigningKey = "test-signing-key-shared-by-every-test-gateway-0123456789";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private GatewayProcess(Process process, Uri baseAddress, StringBuilder output)
    {
        _process = process;
        BaseAddress = baseAddress;
        _output = output;
    }

    /// <summary>"Release" or "Debug": the configuration the calling binaries were built in, so the gateway run matches.</summary>
    public static string BuildConfiguration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";

    public Uri BaseAddress { get; }

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

    /// <summary>Starts a gateway with <paramref name="settings"/> (configuration keys, e.g. <c>ConnectionStrings:Postgres</c>) and waits until it is ready.</summary>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var root = RepositoryRoot();
        var gatewayDirectory = Path.Combine(root, "Gateway");
        var dll = Path.Combine(gatewayDirectory, "bin", BuildConfiguration, "net10.0", "OzonActors.Gateway.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        }

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = gatewayDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", gatewayDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Gateway__Jwt__SigningKey"] = SharedSigningKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        // Each gateway co-hosts a silo: its own silo and client-gateway ports, so several can run side by side.
        start.Environment["Orleans__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Orleans__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Orleans__AdvertisedIP"] = "127.0.0.1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"), output);
        await gateway.WaitUntilReadyAsync().ConfigureAwait(false);
        return gateway;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>SIGKILL: the process dies at once, mid-write if it is writing; nothing runs on its way out.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
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

    private async Task WaitUntilReadyAsync()
    {
        using var client = CreateClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync(new Uri("health/ready", UriKind.Relative)).ConfigureAwait(false)).StatusCode == HttpStatusCode.OK)
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

        throw new TimeoutException($"The gateway was not ready within 60 s:\n{Output}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
