using System.Collections.Concurrent;
using System.Net.Http.Json;
using OzonActors.OzonId;

namespace OzonActors.Grains.OzonId;

/// <summary>Delivers a code text to a phone by SMS or voice call.</summary>
public interface ICodeSender
{
    Task SendAsync(string phone, CodeChannel channel, string text, CancellationToken cancellationToken);
}

/// <summary>A message the development provider kept instead of sending.</summary>
public sealed record DevMessage(CodeChannel Channel, string Text, DateTimeOffset At);

/// <summary>Development provider: keeps every message in memory, for <c>GET /api/dev/sms</c>.</summary>
public sealed class DevCodeSender(TimeProvider time) : ICodeSender
{
    private readonly ConcurrentDictionary<string, List<DevMessage>> _messages = new();

    public Task SendAsync(string phone, CodeChannel channel, string text, CancellationToken cancellationToken)
    {
        var list = _messages.GetOrAdd(phone, _ => []);
        lock (list)
        {
            list.Add(new DevMessage(channel, text, time.GetUtcNow()));
        }

        return Task.CompletedTask;
    }

    /// <summary>The messages sent to <paramref name="phone"/>, newest first.</summary>
    public IReadOnlyList<DevMessage> GetMessages(string phone)
    {
        if (!_messages.TryGetValue(phone, out var list))
        {
            return [];
        }

        lock (list)
        {
            return list.AsEnumerable().Reverse().ToList();
        }
    }
}

/// <summary>Posts <c>{phone, channel, text}</c> as JSON to a real SMS/voice gateway at <c>OzonId:Sms:Url</c>.</summary>
public sealed class HttpCodeSender(HttpClient client) : ICodeSender
{
    public async Task SendAsync(string phone, CodeChannel channel, string text, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync("", new { phone, channel = channel.ToString(), text }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
