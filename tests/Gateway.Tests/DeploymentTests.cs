using System.Diagnostics;

namespace OzonActors.Gateway.Tests;

public sealed class DeploymentTests
{
    [Fact]
    public async Task The_compose_file_is_valid_and_runs_postgres_two_silos_and_a_gateway()
    {
        var root = Testing.GatewayProcess.RepositoryRoot();
        var start = new ProcessStartInfo("docker-compose", ["-f", Path.Combine(root, "docker-compose.yml"), "config"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("docker-compose could not be started (apt-get install -y docker-compose).");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"docker-compose config failed: {error}");
        foreach (var service in new[] { "postgres:", "silo1:", "silo2:", "gateway:" })
        {
            Assert.Contains($"  {service}", output);
        }

        Assert.Contains("ConnectionStrings__Postgres", output);
    }
}
