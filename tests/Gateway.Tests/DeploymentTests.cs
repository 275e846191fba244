using System.Diagnostics;
using System.Text.RegularExpressions;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests;

public sealed partial class DeploymentTests
{
    [Fact]
    public async Task The_compose_file_is_valid_and_runs_postgres_two_silos_and_two_client_gateways_within_its_connections()
    {
        var output = await ComposeAsync("config");
        var services = Services(output);
        Assert.Equal(["gateway1", "gateway2", "postgres", "prometheus", "silo1", "silo2"], services.Keys.Order());

        var silos = services.Where(s => s.Value.Contains("PROJECT: Silo", StringComparison.Ordinal)).ToList();
        var gateways = services.Where(s => s.Value.Contains("PROJECT: Gateway", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, silos.Count);
        Assert.Equal(2, gateways.Count);
        Assert.All(gateways, g => Assert.Contains("Gateway__Silo: Client", g.Value, StringComparison.Ordinal));
        Assert.All(silos.Concat(gateways), s => Assert.Contains("ConnectionStrings__Postgres: Host=postgres", s.Value, StringComparison.Ordinal));

        // Each gateway is published on a port of its own, and every process signs tokens with the same key.
        Assert.Equal(2, gateways.Select(g => PublishedPort().Match(g.Value).Groups[1].Value).Distinct().Count());
        Assert.Single(silos.Concat(gateways).Select(s => SigningKey().Match(s.Value).Groups[1].Value).Distinct());

        // Prometheus scrapes /metrics of every silo and gateway, with the operator key every process is given.
        var scrape = await File.ReadAllTextAsync(Path.Combine(GatewayProcess.RepositoryRoot(), "deploy", "prometheus.yml"));
        Assert.Contains("/deploy/prometheus.yml:/etc/prometheus/prometheus.yml", services["prometheus"], StringComparison.Ordinal);
        Assert.All(silos.Concat(gateways), s => Assert.Contains($"\"{s.Key}:8080\"", scrape, StringComparison.Ordinal));
        var operatorKey = Assert.Single(silos.Concat(gateways).Select(s => OperatorKey().Match(s.Value).Groups[1].Value).Distinct());
        Assert.False(string.IsNullOrEmpty(operatorKey));
        Assert.Contains($"credentials: {operatorKey}", scrape, StringComparison.Ordinal);

        // A silo opens at most 60 connections (state 40, reminders 16, membership 4), a client gateway 44.
        var maxConnections = int.Parse(MaxConnections().Match(services["postgres"]).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(maxConnections >= (silos.Count * 60) + (gateways.Count * 44) + 10, $"max_connections={maxConnections}");
    }

    private static Dictionary<string, string> Services(string config)
    {
        var services = new Dictionary<string, string>();
        string? current = null;
        foreach (var line in config.Split('\n'))
        {
            if (!line.StartsWith(' '))
            {
                current = null;
            }
            else if (line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(':'))
            {
                current = line.Trim().TrimEnd(':');
                services[current] = "";
            }
            else if (current is not null)
            {
                services[current] += line + "\n";
            }

            if (line.StartsWith("volumes:", StringComparison.Ordinal))
            {
                break;
            }
        }

        return services;
    }

    private static async Task<string> ComposeAsync(string command)
    {
        var root = Testing.GatewayProcess.RepositoryRoot();
        var start = new ProcessStartInfo("docker-compose", ["-f", Path.Combine(root, "docker-compose.yml"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("docker-compose could not be started (apt-get install -y docker-compose).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"docker-compose {command} failed: {error}");
        return await output;
    }

    [GeneratedRegex(@"published: ""?(\d+)")]
    private static partial Regex PublishedPort();

    [GeneratedRegex(@"Gateway__Jwt__SigningKey: (\S+)")]
    private static partial Regex SigningKey();

    [GeneratedRegex(@"Operations__ApiKey: (\S+)")]
    private static partial Regex OperatorKey();

    [GeneratedRegex(@"max_connections=(\d+)")]
    private static partial Regex MaxConnections();
}
