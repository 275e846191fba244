using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OzonActors.Bench.Live;

/// <summary>
/// <c>tests/node/bench-clients.mjs</c>: many real <c>@microsoft/signalr</c> connections in one Node process, driven
/// one command at a time over stdin; each command is answered by one JSON line.
/// </summary>
internal sealed class NodeClients : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly string _tokensFile;

    private NodeClients(Process process, string tokensFile)
    {
        _process = process;
        _tokensFile = tokensFile;
    }

    /// <summary>The folder holding OzonActors.sln, above the bench binaries.</summary>
    public static string RepositoryRoot { get; } = OzonActors.Testing.GatewayProcess.RepositoryRoot();

    public static string Directory { get; } = Path.Combine(RepositoryRoot, "tests", "node");

    /// <summary>
    /// Starts the clients for <paramref name="hub"/>, connection i using token i mod n; <paramref name="nodeOptions"/> go
    /// to node before the script (e.g. <c>--import</c> of a preloaded module).
    /// </summary>
    public static async Task<NodeClients> StartAsync(Uri hub, IEnumerable<string> tokens, IReadOnlyList<string>? nodeOptions = null)
    {
        await InstallAsync();
        var tokensFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokensFile, JsonSerializer.Serialize(tokens));
        var start = new ProcessStartInfo("node", [.. nodeOptions ?? [], "bench-clients.mjs", "--url", hub.ToString(), "--tokens", tokensFile])
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        return new NodeClients(Process.Start(start) ?? throw new InvalidOperationException("node could not be started: install Node.js 20+."), tokensFile);
    }

    /// <summary>Sends one command and returns its answer; an <c>error</c> answer throws.</summary>
    public async Task<JsonObject> SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException($"The node clients ended while answering '{command}'.");
        var answer = JsonNode.Parse(line)!.AsObject();
        return answer["kind"]!.GetValue<string>() == "error"
            ? throw new InvalidOperationException($"'{command}' failed in node: {answer["message"]}")
            : answer;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_tokensFile);
    }

    /// <summary>Runs <c>npm ci</c> from the committed lock file when the SignalR client is not installed yet.</summary>
    private static async Task InstallAsync()
    {
        if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@microsoft", "signalr")))
        {
            return;
        }

        Report.Progress("live: npm ci in tests/node ...");
        using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = Directory })
            ?? throw new InvalidOperationException("npm could not be started: install Node.js 20+.");
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {Directory} failed with {npm.ExitCode}.");
        }
    }
}
