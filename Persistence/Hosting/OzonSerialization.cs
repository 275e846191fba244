using OzonActors;
using OzonActors.Persistence;

namespace Orleans.Serialization;

/// <summary>How this service's types cross grain calls and processes.</summary>
public static class OzonSerialization
{
    /// <summary>
    /// The records and enums of this service go as JSON with the same options as state and events (camelCase, enums as
    /// strings): they already round-trip through that shape, and one shape is one thing to keep compatible. Exceptions
    /// keep Orleans' own codecs (<see cref="DomainException"/> is <c>[GenerateSerializer]</c>, so its type and code
    /// survive a hop between silos).
    /// </summary>
    public static ISerializerBuilder AddOzonSerialization(this ISerializerBuilder serializer) =>
        serializer.AddJsonSerializer(IsOurs, IsOurs, options => options.Configure(o => o.SerializerOptions = GrainJson.Options));

    private static bool IsOurs(Type type) =>
        type.Namespace is { } ns && (ns == "OzonActors" || ns.StartsWith("OzonActors.", StringComparison.Ordinal))
        && !typeof(Exception).IsAssignableFrom(type)
        && !typeof(IAddressable).IsAssignableFrom(type);
}
