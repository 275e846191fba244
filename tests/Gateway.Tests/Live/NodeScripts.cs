using System.Diagnostics;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Live;

/// <summary>The Node.js scripts in <c>tests/node</c>, with their npm dependencies installed once per test run.</summary>
internal static class NodeScripts
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    public static string Directory { get; } = Path.Combine(GatewayProcess.RepositoryRoot(), "tests", "node");

    /// <summary>Runs <c>npm ci</c> from the committed lock file if <c>node_modules</c> lacks the SignalR client.</summary>
    public static Task EnsureInstalledAsync() => Installed.Value;

    private static async Task InstallAsync()
    {
        if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@microsoft", "signalr")))
        {
            return;
        }

        var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm could not be started: install Node.js 20 or later.");
        var output = npm.StandardOutput.ReadToEndAsync();
        var error = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm ci in {Directory} took more than 5 minutes.");
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {Directory} failed ({npm.ExitCode}):\n{await output}\n{await error}");
        }
    }
}
