using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using OzonActors.OzonId;

namespace OzonActors.Grains.OzonId;

/// <summary>Delivers a code text to a phone by SMS or voice call.</summary>
public interface ICodeSender
{
    Task SendAsync(string phone, CodeChannel channel, string text, CancellationToken cancellationToken);
}

/// <summary>
/// Development provider: keeps every message in the phone's <see cref="IDevSmsOutboxGrain"/>, for <c>GET /api/dev/sms</c>
/// on any gateway.
/// </summary>
public sealed class DevCodeSender(IGrainFactory grains, [FromKeyedServices(BusinessClock.Key)] TimeProvider time) : ICodeSender
{
    public Task SendAsync(string phone, CodeChannel channel, string text, CancellationToken cancellationToken) =>
        grains.GetGrain<IDevSmsOutboxGrain>(phone).AddAsync(new DevMessage(channel, text, time.GetUtcNow()));
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
