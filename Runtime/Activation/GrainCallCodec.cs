using System.Text.Json;
using System.Text.Json.Nodes;

namespace OzonActors.Runtime.Activation;

/// <summary>
/// The wire form of a grain call: <c>{grain: {type, key}, interface, method, arguments: [...]}</c> in JSON, and its
/// result as JSON. Everything a call needs crosses as data, so a call can be served by another process.
/// </summary>
internal sealed class GrainCallCodec(GrainTypeRegistry registry, Catalog catalog)
{
    public static string Serialize(GrainCall call)
    {
        var invocation = new JsonObject
        {
            ["grain"] = new JsonObject { ["type"] = call.Target.Type, ["key"] = call.Target.Key },
            ["interface"] = call.Method.Interface.FullName,
            ["method"] = call.Method.Name,
            ["arguments"] = new JsonArray(call.Arguments
                .Select((argument, i) => JsonSerializer.SerializeToNode(argument, call.Method.ParameterTypes[i], GrainJson.Options))
                .ToArray()),
        };
        return invocation.ToJsonString(GrainJson.Options);
    }

    /// <summary>Reads a serialized call; every mistake is an <see cref="ArgumentException"/> that says what is wrong.</summary>
    public GrainCall Deserialize(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new ArgumentException($"The invocation is not valid JSON: {exception.Message}", nameof(json), exception);
        }

        var typeName = Required(root?["grain"]?["type"], "grain.type");
        var key = Required(root?["grain"]?["key"], "grain.key");
        GrainFactory.ValidateKey(key);
        var grainClass = registry.GetClass(typeName);
        var grainInterface = registry.GetInterface(Required(root?["interface"], "interface"));
        if (!grainInterface.Type.IsAssignableFrom(grainClass.Type))
        {
            throw new ArgumentException($"Grain type '{typeName}' does not implement {grainInterface.Type.FullName}.");
        }

        var methodName = Required(root?["method"], "method");
        if (!grainInterface.ByName.TryGetValue(methodName, out var method))
        {
            throw new ArgumentException($"{grainInterface.Type.FullName} has no method '{methodName}'.");
        }

        var arguments = root?["arguments"] as JsonArray ?? [];
        if (arguments.Count != method.ParameterTypes.Length)
        {
            throw new ArgumentException(
                $"{method} takes {method.ParameterTypes.Length} arguments, the invocation has {arguments.Count}.");
        }

        var values = new object?[arguments.Count];
        for (var i = 0; i < values.Length; i++)
        {
            try
            {
                values[i] = arguments[i].Deserialize(method.ParameterTypes[i], GrainJson.Options);
            }
            catch (JsonException exception)
            {
                throw new ArgumentException($"Argument {i} of {method} is not a {method.ParameterTypes[i].Name}: {exception.Message}", exception);
            }
        }

        return new GrainCall(new GrainId(typeName, key), method, values);
    }

    /// <summary>Serves a serialized call: deserializes, runs it on the local activation, returns the result as JSON.</summary>
    public async Task<string> InvokeAsync(string json)
    {
        var call = Deserialize(json);
        var task = (Task)call.Method.Call(catalog, call.Target, call.Method, call.Arguments);
        await task.ConfigureAwait(false);
        return call.Method.ResultType is { } resultType
            ? JsonSerializer.Serialize(call.Method.ReadResult(task), resultType, GrainJson.Options)
            : "null";
    }

    private static string Required(JsonNode? node, string name) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new ArgumentException($"The invocation has no '{name}'.");
}
