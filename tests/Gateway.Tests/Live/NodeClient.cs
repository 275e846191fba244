using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace OzonActors.Gateway.Tests.Live;

/// <summary>
/// A running <c>tests/node/live-client.mjs</c>: the real <c>@microsoft/signalr</c> client in its own process. Every
/// JSON line it prints is kept; tests await lines as they arrive.
/// </summary>
internal sealed class NodeClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<JsonObject> _lines = [];
    private readonly StringBuilder _errors = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ended;

    private NodeClient(Process process) => _process = process;

    /// <summary>Starts the client against <paramref name="gateway"/>'s hub with <paramref name="token"/> and extra <c>--key value</c> arguments.</summary>
    public static async Task<NodeClient> StartAsync(Uri gateway, string token, params string[] arguments)
    {
        await NodeScripts.EnsureInstalledAsync();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeScripts.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("live-client.mjs");
        foreach (var argument in (string[])["--url", new Uri(gateway, "hubs/events").ToString(), "--token", token, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var client = new NodeClient(Process.Start(start) ?? throw new InvalidOperationException("node could not be started: install Node.js 20 or later."));
        client._process.OutputDataReceived += (_, e) => client.OnLine(e.Data);
        client._process.ErrorDataReceived += (_, e) => client.OnError(e.Data);
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        _ = client.WatchExitAsync();
        return client;
    }

    /// <summary>Every line printed so far.</summary>
    public IReadOnlyList<JsonObject> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The events the client applied (in order), without skipped duplicates.</summary>
    public IReadOnlyList<JsonObject> Applied => Lines.Where(l => Kind(l) == "event" && l["applied"]!.GetValue<bool>()).ToList();

    /// <summary>Awaits the first line that <paramref name="match"/> accepts; fails early if the client ends without it.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            bool ended;
            lock (_lines)
            {
                changed = _changed.Task;
                ended = _ended;
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }
            }

            if (ended)
            {
                throw new InvalidOperationException($"The node client exited before {what}.\n{Describe()}");
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {what} within {timeout.TotalSeconds} s.\n{Describe()}");
            }
        }
    }

    /// <summary>Awaits the client's ready line (connected, resumed, groups joined).</summary>
    public Task<JsonObject> ReadyAsync() => WaitForAsync(l => Kind(l) == "ready", TimeSpan.FromSeconds(30), "ready line");

    /// <summary>Awaits the client's last line (<c>done</c>, <c>timeout</c> or <c>error</c>).</summary>
    public Task<JsonObject> FinishedAsync(TimeSpan timeout) =>
        WaitForAsync(l => Kind(l) is "done" or "timeout" or "error", timeout, "final line");

    public static string Kind(JsonObject line) => line["kind"]!.GetValue<string>();

    /// <summary>True for an <c>event</c> line of request <paramref name="id"/> changing to <paramref name="status"/>.</summary>
    public static bool IsReturnStatusChange(JsonObject line, Guid id, string status)
    {
        if (Kind(line) != "event")
        {
            return false;
        }

        var received = Event(line);
        return received["type"]!.GetValue<string>() == "ReturnStatusChanged"
            && received["stream"]!.GetValue<string>() == $"return:{id}"
            && received["data"]!["request"]!["status"]!.GetValue<string>() == status;
    }

    /// <summary>The event of an <c>event</c> line.</summary>
    public static JsonObject Event(JsonObject line) => line["event"]!.AsObject();

    public string Describe()
    {
        var lines = Lines;
        var tail = string.Join('\n', lines.TakeLast(20).Select(l => l.ToJsonString()));
        lock (_errors)
        {
            return $"node printed {lines.Count} lines; last ones:\n{tail}\nstderr:\n{_errors}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>Marks the end once the process exited and its output was read to the end.</summary>
    private async Task WatchExitAsync()
    {
        await _process.WaitForExitAsync();
        lock (_lines)
        {
            _ended = true;
        }

        Pulse();
    }

    private void OnLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        JsonObject line;
        try
        {
            line = JsonNode.Parse(text)!.AsObject();
        }
        catch (System.Text.Json.JsonException)
        {
            OnError(text);
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        Pulse();
    }

    private void OnError(string? text)
    {
        if (text is not null)
        {
            lock (_errors)
            {
                _errors.AppendLine(text);
            }
        }
    }

    private void Pulse()
    {
        TaskCompletionSource previous;
        lock (_lines)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
