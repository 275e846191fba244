using Microsoft.Extensions.Options;
using OzonActors.OzonId;

namespace OzonActors.Grains.OzonId;

/// <summary>
/// Development only: one phone's messages the development code provider kept, in memory. Never collected while the
/// silo runs (development has few phones), so the outbox lives as long as the in-process one it replaces did.
/// </summary>
[GrainType("dev-sms-outbox")]
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class DevSmsOutboxGrain(IOptions<OzonIdOptions> options) : Grain, IDevSmsOutboxGrain
{
    /// <summary>A phone's newest messages are what a developer reads; older ones go, so a busy test phone stays small.</summary>
    private const int MaxMessages = 100;

    private readonly List<DevMessage> _messages = [];

    public Task AddAsync(DevMessage message)
    {
        _messages.Add(message);
        if (_messages.Count > MaxMessages)
        {
            _messages.RemoveRange(0, _messages.Count - MaxMessages);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DevMessage>> GetMessagesAsync()
    {
        // The silo's half of "development provider only": a gateway maps the endpoint in Development only.
        if (options.Value.Sms.Provider != SmsOptions.DevProvider)
        {
            throw DomainException.NotFound("dev-sms-off", "The development SMS outbox is off: OzonId:Sms:Provider is not 'Dev'.");
        }

        return Task.FromResult<IReadOnlyList<DevMessage>>([.. Enumerable.Reverse(_messages)]);
    }
}
