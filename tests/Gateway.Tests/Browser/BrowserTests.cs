using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Testing;

namespace OzonActors.Gateway.Tests.Browser;

/// <summary>
/// The web pages in headless Chromium (the system's <c>/usr/bin/chromium</c>, driven by the npm
/// <c>playwright-core</c> in tests/browser): a real gateway process, a user who logs in with the dev code.
/// </summary>
public sealed class BrowserTests
{
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_seller_logs_in_through_the_page_and_sees_live_events_without_reloading()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"{chromium} is missing: apt-get install -y chromium (or set CHROMIUM_PATH).");
        var browserTests = Path.Combine(GatewayProcess.RepositoryRoot(), "tests", "browser");
        await EnsureNodeModulesAsync(browserTests);

        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OzonId:MaxSendsPerAddressPerHour"] = "100000",
        });
        var phone = ApiClient.NewPhone();
        var run = await RunAsync(
            "node", [Path.Combine(browserTests, "login-seller.mjs"), gateway.BaseAddress.ToString(), phone], browserTests, ScriptTimeout);

        var lastLine = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        var failure = $"login-seller.mjs exited {run.ExitCode}.\nstdout: {run.Output}\nstderr: {run.Error}\ngateway:\n{gateway.Output}";
        Assert.True(run.ExitCode == 0, failure);
        var result = JsonNode.Parse(lastLine)!;
        Assert.True(result["ok"]!.GetValue<bool>(), failure);
        Assert.Equal(phone, result["phone"]!.GetValue<string>());
        Assert.True(Guid.TryParse(result["companyId"]!.GetValue<string>(), out _), failure);
        Assert.False(result["reloaded"]!.GetValue<bool>(), failure);
        Assert.Empty(result["pageErrors"]!.AsArray());

        var events = result["events"]!.AsArray();
        var invitations = events.Where(e => e!["type"]!.GetValue<string>() == "InvitationCreated").ToList();
        Assert.Equal(2, invitations.Count);
        Assert.Contains("api-", invitations[0]!["data"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("form-", invitations[1]!["data"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(events.Count, events.Select(e => e!["position"]!.GetValue<string>()).Distinct().Count());
        Assert.InRange(result["apiLatencyMs"]!.GetValue<int>(), 0, 10_000);
    }

    [Fact]
    public async Task A_return_request_created_on_the_customer_page_reaches_the_seller_page_and_its_approval_comes_back_live()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"{chromium} is missing: apt-get install -y chromium (or set CHROMIUM_PATH).");
        var browserTests = Path.Combine(GatewayProcess.RepositoryRoot(), "tests", "browser");
        await EnsureNodeModulesAsync(browserTests);

        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OzonId:MaxSendsPerAddressPerHour"] = "100000",
        });
        var (customerPhone, sellerPhone) = (ApiClient.NewPhone(), ApiClient.NewPhone());
        var run = await RunAsync(
            "node", [Path.Combine(browserTests, "returns-flow.mjs"), gateway.BaseAddress.ToString(), customerPhone, sellerPhone, ReturnsApi.InternalKey],
            browserTests, ScriptTimeout);

        var lastLine = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        var failure = $"returns-flow.mjs exited {run.ExitCode}.\nstdout: {run.Output}\nstderr: {run.Error}\ngateway:\n{gateway.Output}";
        Assert.True(run.ExitCode == 0, failure);
        var result = JsonNode.Parse(lastLine)!;
        Assert.True(result["ok"]!.GetValue<bool>(), failure);
        Assert.False(result["reloaded"]!.GetValue<bool>(), failure);
        Assert.Empty(result["pageErrors"]!.AsArray());

        // What the pages showed, checked against the API: the request is the customer's, for the seller's order.
        var returnId = result["returnId"]!.GetValue<Guid>();
        Assert.Equal("New", result["sellerNew"]!["status"]!.GetValue<string>());
        Assert.Equal("Approved", result["customerApproved"]!["status"]!.GetValue<string>());
        Assert.Equal("ReturnOnTheWay", result["sellerShipped"]!["status"]!.GetValue<string>());
        var api = new ApiClient(gateway.CreateClient());
        var customer = await api.LoginAsync(customerPhone);
        Assert.Equal(result["customerId"]!.GetValue<Guid>(), customer.OzonId);
        var request = await api.SendAsync(HttpMethod.Get, $"/api/returns/{returnId}", customer.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal(result["sellerId"]!.GetValue<Guid>(), request["sellerId"]!.GetValue<Guid>());
        Assert.Equal(result["orderId"]!.GetValue<string>(), request["orderId"]!.GetValue<string>());
        Assert.Equal(
            ["New", "PartialCompensationOffered", "AwaitingClarification", "Approved", "ReturnOnTheWay"],
            request["history"]!.AsArray().Select(h => h!["status"]!.GetValue<string>()));
        Assert.Equal(request["productName"]!.GetValue<string>(), result["sellerNew"]!["product"]!.GetValue<string>());

        // Both pages' feeds received every status change.
        Assert.Equal(5, result["statusEvents"]!["seller"]!.GetValue<int>());
        Assert.Equal(5, result["statusEvents"]!["customer"]!.GetValue<int>());
        Assert.Equal("returns-report.csv", result["csv"]!["filename"]!.GetValue<string>());
        Assert.Equal("blob:", result["csv"]!["url"]!.GetValue<string>());
    }

    /// <summary>Runs <c>npm ci</c> once, when tests/browser/node_modules lacks playwright-core.</summary>
    private static async Task EnsureNodeModulesAsync(string directory)
    {
        if (Directory.Exists(Path.Combine(directory, "node_modules", "playwright-core")))
        {
            return;
        }

        var npm = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], directory, NpmTimeout);
        Assert.True(npm.ExitCode == 0, $"npm ci in {directory} exited {npm.ExitCode}:\n{npm.Output}\n{npm.Error}");
    }

    private sealed record ProcessRun(int ExitCode, string Output, string Error);

    private static async Task<ProcessRun> RunAsync(string file, IEnumerable<string> arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started.");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var error = new StringBuilder();
        var readOutput = PumpAsync(process.StandardOutput, output);
        var readError = PumpAsync(process.StandardError, error);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await Task.WhenAll(readOutput, readError);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not end within {timeout}:\n{output}\n{error}");
        }

        await Task.WhenAll(readOutput, readError);
        return new ProcessRun(process.ExitCode, output.ToString(), error.ToString());
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            into.AppendLine(line);
        }
    }
}
