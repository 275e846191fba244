using System.Text.Json;
using OzonActors.Persistence.Events;

namespace OzonActors.Gateway.Live;

/// <summary>
/// What a client receives for one event: pushed as hub method <c>event</c>, and in the answer of <c>Resume</c>.
/// <see cref="Position"/> orders events as a plain string compare; <see cref="Data"/> is the event's JSON object.
/// </summary>
public sealed record LiveEvent(string Position, string Stream, string Type, DateTimeOffset At, JsonElement Data)
{
    public static LiveEvent From(EventEnvelope envelope) =>
        new(envelope.Position.ToString(), envelope.Stream, envelope.Type, envelope.At, JsonElement.Parse(envelope.DataJson));
}
