using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OzonActors.Gateway.Tests.Support;
using OzonActors.Grains;
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
        await using var gateway = await StartGatewayAsync();
        var phone = ApiClient.NewPhone();
        var (result, failure) = await RunScriptAsync(gateway, "login-seller.mjs", phone);
        Assert.False(result["reloaded"]!.GetValue<bool>(), failure);
        Assert.Empty(result["pageErrors"]!.AsArray());

        // Russian unless English is asked for; the switch's choice sticks on the next pages.
        var languages = result["languages"]!;
        Assert.Equal("ru", languages["german"]!.GetValue<string>());
        Assert.Equal(Message("ru", "login.title"), languages["germanTitle"]!.GetValue<string>());
        Assert.Equal("en", languages["english"]!.GetValue<string>());
        Assert.Equal(Message("en", "login.phoneTitle"), languages["englishHeading"]!.GetValue<string>());
        Assert.Equal(Message("ru", "login.phoneTitle"), languages["switchedHeading"]!.GetValue<string>());
        Assert.Equal("ru", languages["sellerPage"]!.GetValue<string>());

        // The company the page created belongs to the phone's Ozon ID, under the name typed into the page, with the
        // phone's owner as its director.
        var tokens = await new ApiClient(gateway.CreateClient()).LoginAsync(phone);
        var account = Assert.Single(tokens.Accounts)!;
        Assert.Equal(result["companyId"]!.GetValue<Guid>(), account["companyId"]!.GetValue<Guid>());
        Assert.Equal(result["companyName"]!.GetValue<string>(), account["companyName"]!.GetValue<string>());
        Assert.Equal("Director", account["role"]!.GetValue<string>());

        var events = result["events"]!.AsArray();
        var invitations = events.Where(e => e!["type"]!.GetValue<string>() == "InvitationCreated").ToList();
        Assert.Equal(2, invitations.Count);
        Assert.Contains("api-", invitations[0]!["data"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("form-", invitations[1]!["data"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(events.Count, events.Select(e => e!["position"]!.GetValue<string>()).Distinct().Count());
    }

    /// <summary>The languages and window sizes every page is driven in (and checked: no overflow, axe-core clean).</summary>
    public static TheoryData<string, string> LanguagesAndViewports => new()
    {
        { "ru", "desktop" }, { "ru", "phone" }, { "en", "desktop" }, { "en", "phone" },
    };

    [Theory]
    [MemberData(nameof(LanguagesAndViewports))]
    public async Task A_return_request_created_on_the_customer_page_reaches_the_seller_page_and_its_approval_comes_back_live(string language, string viewport)
    {
        await using var gateway = await StartGatewayAsync();
        var (customerPhone, sellerPhone) = (ApiClient.NewPhone(), ApiClient.NewPhone());
        var (result, failure) = await RunScriptAsync(gateway, "returns-flow.mjs", customerPhone, sellerPhone, ReturnsApi.InternalKey,
            language, viewport, ScreenshotDirectory);
        Assert.False(result["reloaded"]!.GetValue<bool>(), failure);
        Assert.Empty(result["pageErrors"]!.AsArray());

        // What the pages showed, checked against the API: the request is the customer's, for the seller's order.
        var returnId = result["returnId"]!.GetValue<Guid>();
        Assert.Empty(result["findings"]!.AsArray());
        Assert.Equal("New", result["sellerNew"]!["status"]!.GetValue<string>());
        Assert.Equal(Message(language, "returns.status.New"), result["sellerNew"]!["statusText"]!.GetValue<string>());
        Assert.Equal(Message(language, "returns.status.Approved"), result["customerApproved"]!["statusText"]!.GetValue<string>());
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
        Assert.Equal(language == "ru" ? "returns-report-ru.csv" : "returns-report.csv", result["csv"]!["filename"]!.GetValue<string>());
        Assert.Equal(language == "ru" ? "Номер заявки;Создана;Статус" : "id,createdAt,status", string.Join(language == "ru" ? ';' : ',',
            result["csv"]!["header"]!.GetValue<string>().Split(language == "ru" ? ';' : ',').Take(3)));
        Assert.Equal("blob:", result["csv"]!["url"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(LanguagesAndViewports))]
    public async Task Star_Products_and_referral_pages_follow_their_programs_live_without_reloading(string language, string viewport)
    {
        await using var gateway = await StartGatewayAsync();
        var (sellerPhone, managerPhone) = (ApiClient.NewPhone(), ApiClient.NewPhone());
        var (result, failure) = await RunScriptAsync(gateway, "programs.mjs", sellerPhone, managerPhone, ReturnsApi.InternalKey,
            language, viewport, ScreenshotDirectory);
        Assert.False(result["reloaded"]!.GetValue<bool>(), failure);
        Assert.Empty(result["pageErrors"]!.AsArray());
        Assert.Empty(result["findings"]!.AsArray());

        // Star Products, read again through the API as the seller: connecting today used one of the 30 free days, and
        // the page showed the same days left and last free day; leaving kept them, and the system's rejoin the same day
        // used no new one.
        var api = new ApiClient(gateway.CreateClient());
        var sellerToken = (await api.SendAsync(HttpMethod.Post, "/api/auth/password", null,
            new { email = result["sellerEmail"]!.GetValue<string>(), password = "correct horse battery", deviceId = $"device-{Guid.NewGuid():N}" },
            HttpStatusCode.OK))["accessToken"]!.GetValue<string>();
        var status = await api.SendAsync(HttpMethod.Get, "/api/seller/star-products", sellerToken, null, HttpStatusCode.OK);
        Assert.Equal(result["sellerId"]!.GetValue<Guid>(), status["sellerId"]!.GetValue<Guid>());
        Assert.True(status["connected"]!.GetValue<bool>());
        Assert.Equal(30, result["starBefore"]!["trialDaysLeft"]!.GetValue<int>());
        Assert.Equal("false", result["starBefore"]!["connected"]!.GetValue<string>());
        var connectedApi = result["api"]!["statusConnected"]!;
        var connectedPage = result["starConnected"]!;
        Assert.Equal("true", connectedPage["connected"]!.GetValue<string>());
        Assert.Equal(29, connectedApi["trialDaysLeft"]!.GetValue<int>());
        Assert.Equal(29, connectedPage["trialDaysLeft"]!.GetValue<int>());
        var firstDay = BusinessCalendar.DateOf(connectedApi["connectedSince"]!.GetValue<DateTimeOffset>());
        Assert.Equal(firstDay.AddDays(29), DateOnly.Parse(connectedPage["trialEndsOn"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal("false", result["starDisconnected"]!["connected"]!.GetValue<string>());
        Assert.Equal(29, result["starDisconnected"]!["trialDaysLeft"]!.GetValue<int>());
        Assert.Equal("true", result["starReconnected"]!["connected"]!.GetValue<string>());
        Assert.Equal(status["trialDaysLeft"]!.GetValue<int>(), result["starReconnected"]!["trialDaysLeft"]!.GetValue<int>());
        var history = await api.SendAsync(HttpMethod.Get, "/api/seller/star-products/history", sellerToken, null, HttpStatusCode.OK);
        Assert.Equal(["Connect", "Disconnect", "Connect"], history.AsArray().Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal("system", history[0]!["email"]!.GetValue<string>());
        Assert.Equal(Message(language, "star.historyReason").Replace("{reason}", history[1]!["reason"]!.GetValue<string>(), StringComparison.Ordinal),
            result["starReconnected"]!["history"]![1]!["reason"]!.GetValue<string>());

        // Referral rewards, read again as the manager: the page showed the earning pending, then the correction and the
        // withdrawal in the balance.
        var manager = await api.LoginAsync(managerPhone);
        Assert.Equal(result["managerId"]!.GetValue<Guid>(), manager.OzonId);
        var summary = await api.SendAsync(HttpMethod.Get, "/api/referral/me", manager.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal(150, summary["pendingPoints"]!.GetValue<long>());
        Assert.Equal(40, summary["balance"]!.GetValue<long>());
        Assert.Equal(150, result["referral"]!["pending"]!.GetValue<long>());
        Assert.Equal(Message(language, "errors.insufficient-balance"), result["withdrawError"]!.GetValue<string>());
        var ledger = await api.SendAsync(HttpMethod.Get, "/api/referral/me/ledger", manager.AccessToken, null, HttpStatusCode.OK);
        Assert.Equal(["Earned", "Correction", "Withdrawn"], ledger.AsArray().Select(e => e!["kind"]!.GetValue<string>()));
        Assert.Equal(["Withdrawn", "Correction", "Earned"], result["ledgerKinds"]!.AsArray().Select(k => k!.GetValue<string>()));
    }

    private static string BrowserTestsDirectory => Path.Combine(GatewayProcess.RepositoryRoot(), "tests", "browser");

    /// <summary>
    /// Where the scripts keep a screenshot of every state they check (named language-viewport-state):
    /// <c>OZON_SCREENSHOT_DIR</c>, else a folder under the system's temporary directory. The README's pictures come from here.
    /// </summary>
    private static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("OZON_SCREENSHOT_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "ozon-page-screenshots");

    private static string Message(string language, string key) => PageCatalogue.Message(language, key);

    /// <summary>A gateway for a browser script, once Chromium and the npm packages are there; codes may be sent freely.</summary>
    private static async Task<GatewayProcess> StartGatewayAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"{chromium} is missing: apt-get install -y chromium (or set CHROMIUM_PATH).");
        await EnsureNodeModulesAsync(BrowserTestsDirectory);
        return await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OzonId:MaxSendsPerAddressPerHour"] = "100000",
            ["OzonId:PhoneCodeInterval"] = "00:00:00",
        });
    }

    /// <summary>
    /// Runs a script of tests/browser with the gateway's address and <paramref name="arguments"/>, checks that it exited 0
    /// with <c>ok</c>, and answers its result line and what to show when a later check fails.
    /// </summary>
    private static async Task<(JsonNode Result, string Failure)> RunScriptAsync(GatewayProcess gateway, string script, params string[] arguments)
    {
        var directory = BrowserTestsDirectory;
        var run = await RunAsync("node", [Path.Combine(directory, script), gateway.BaseAddress.ToString(), .. arguments], directory, ScriptTimeout);
        var lastLine = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        var failure = $"{script} exited {run.ExitCode}.\nstdout: {run.Output}\nstderr: {run.Error}\ngateway:\n{gateway.Output}";
        Assert.True(run.ExitCode == 0, failure);
        var result = JsonNode.Parse(lastLine)!;
        Assert.True(result["ok"]!.GetValue<bool>(), failure);
        return (result, failure);
    }

    /// <summary>Runs <c>npm ci</c> once, when tests/browser/node_modules lacks playwright-core or axe-core.</summary>
    private static async Task EnsureNodeModulesAsync(string directory)
    {
        if (Directory.Exists(Path.Combine(directory, "node_modules", "playwright-core")) && Directory.Exists(Path.Combine(directory, "node_modules", "axe-core")))
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
