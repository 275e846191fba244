using System.Text.Json;
using System.Text.Json.Serialization;

namespace OzonActors.Persistence;

/// <summary>The one JSON shape used for state, events and invocations: camelCase, enums as strings.</summary>
public static class GrainJson
{
    /// <summary>Shared, read-only serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
