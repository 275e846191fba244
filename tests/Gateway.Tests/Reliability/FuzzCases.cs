using System.Globalization;
using System.Text.Json.Nodes;

namespace OzonActors.Gateway.Tests.Reliability;

/// <summary>One operation of the OpenAPI document: its path parameters, query parameters and JSON body schema.</summary>
public sealed record FuzzOperation(string Method, string Path, IReadOnlyList<string> PathParameters,
    IReadOnlyList<(string Name, JsonNode Schema)> QueryParameters, JsonNode? BodySchema, bool BodyOptional)
{
    public string Key => $"{Method} {Path}";
}

/// <summary>
/// One bad request. <see cref="SurelyInvalid"/> says the input is wrong whatever the endpoint (malformed JSON, a wrong type,
/// NUL, an unknown enum value, an id that is no id): the answer must be a 4xx. Otherwise the value is only suspicious
/// (zero, empty, 10,000 characters, a missing field), and a 2xx is allowed; either way a refusal must change nothing.
/// </summary>
public sealed record FuzzCase(string Description, string Path, string? Body, bool SurelyInvalid, string ContentType = "application/json");

/// <summary>Builds the operations and their bad requests from the OpenAPI document, so a new endpoint is fuzzed without a line here.</summary>
public static class FuzzCases
{
    public const string EmptyGuid = "00000000-0000-0000-0000-000000000000";

    public static IReadOnlyList<FuzzOperation> Operations(JsonNode document)
    {
        var operations = new List<FuzzOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var parameters = operation!["parameters"]?.AsArray() ?? [];
                var pathParameters = parameters.Where(p => (string?)p!["in"] == "path").Select(p => (string)p!["name"]!).ToList();
                var query = parameters.Where(p => (string?)p!["in"] == "query").Select(p => ((string)p!["name"]!, p["schema"]!)).ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                var optional = false;
                if (body?["oneOf"] is JsonArray choices)
                {
                    optional = choices.Any(c => (string?)c!["type"] == "null");
                    body = choices.FirstOrDefault(c => c!["$ref"] is not null);
                }

                operations.Add(new FuzzOperation(method.ToUpperInvariant(), path, pathParameters, query,
                    body is null ? null : Resolve(document, body), optional));
            }
        }

        return operations;
    }

    /// <summary>The bad requests for one operation; <paramref name="fixtures"/> gives a real id for a path parameter, by name.</summary>
    public static IEnumerable<FuzzCase> For(JsonNode document, FuzzOperation operation, Func<string, string> fixtures)
    {
        var realPath = Fill(operation.Path, operation.PathParameters.ToDictionary(p => p, fixtures));

        // Each path parameter in turn replaced by junk, the others real, with a plausible body (so a bad id is what is refused).
        var plausible = operation.BodySchema is null ? null : Plausible(document, operation.BodySchema, fixtures, "")!.ToJsonString();
        foreach (var parameter in operation.PathParameters)
        {
            foreach (var (label, junk) in JunkPathValues)
            {
                var values = operation.PathParameters.ToDictionary(p => p, p => p == parameter ? junk : fixtures(p));
                yield return new FuzzCase($"path {parameter} = {label}", Fill(operation.Path, values), plausible, SurelyInvalid: true);
            }
        }

        foreach (var (name, schema) in operation.QueryParameters)
        {
            foreach (var (label, value, surely) in JunkQueryValues(schema))
            {
                yield return new FuzzCase($"query {name} = {label}", $"{realPath}?{name}={Uri.EscapeDataString(value)}", null, surely);
            }
        }

        if (operation.BodySchema is null)
        {
            yield break;
        }

        foreach (var (label, raw, surely) in MalformedBodies(operation.BodyOptional))
        {
            yield return new FuzzCase($"body {label}", realPath, raw, surely);
        }

        yield return new FuzzCase("plausible body as text/plain", realPath, plausible, SurelyInvalid: true, ContentType: "text/plain");

        foreach (var (field, schema) in Fields(document, operation.BodySchema, ""))
        {
            foreach (var (label, value, surely) in Mutations(document, schema))
            {
                var body = Plausible(document, operation.BodySchema, fixtures, "")!.AsObject();
                Replace(body, field, value);

                // A JSON writer will not write half of a surrogate pair: it is put into the text afterwards, as the escape a client may send.
                var text = body.ToJsonString().Replace(LoneSurrogateMarker, "\\ud800", StringComparison.Ordinal);
                yield return new FuzzCase($"{field} = {label}", realPath, text, surely);
            }
        }
    }

    private static readonly (string Label, string Value)[] JunkPathValues =
    [
        ("empty GUID", EmptyGuid),
        ("unknown GUID", "6f1c2a4e-0000-4000-8000-000000000001"),
        ("not a GUID", "not-a-guid"),
        ("negative number", "-1"),
        ("NUL", "a%00b"),
        ("control character", "a%01b"),
        ("encoded slash", "a%2Fb"),
        ("2,000 characters", new string('x', 2_000)),
        ("unicode", "%D1%84%F0%9F%98%80"),
        ("lone surrogate", "%ED%A0%80"),
    ];

    private static IEnumerable<(string Label, string Value, bool Surely)> JunkQueryValues(JsonNode schema)
    {
        var integer = Types(schema).Contains("integer");
        yield return ("NUL", "a\0b", true);
        yield return ("control character", "a\u0001b", true);
        yield return ("5,000 characters", new string('9', 5_000), integer);
        yield return ("unknown enum value", "NoSuchValue", integer);
        yield return ("empty", "", false);
        yield return ("negative", "-1", false);
        yield return ("zero", "0", false);
        yield return ("huge", "99999999999999999999999", integer);
        yield return ("not a date", "2024-13-45", integer);
    }

    private static IEnumerable<(string Label, string? Raw, bool Surely)> MalformedBodies(bool optional)
    {
        yield return ("truncated object", "{\"a\":", true);
        yield return ("unclosed array", "[1,2", true);
        yield return ("bare word", "nul", true);
        yield return ("NUL byte", "\0", true);
        yield return ("trailing garbage", "{} x", true);
        yield return ("array", "[]", true);
        yield return ("number", "42", true);
        yield return ("string", "\"text\"", true);
        yield return ("deep nesting", new string('[', 5_000) + new string(']', 5_000), true);
        yield return ("empty object", "{}", false);
        yield return ("unknown fields only", "{\"noSuchField\":1}", false);
        yield return ("null", "null", !optional);
        yield return ("no body", null, !optional);
    }

    /// <summary>Bad values for one field, by its schema's type.</summary>
    private static IEnumerable<(string Label, JsonNode? Value, bool Surely)> Mutations(JsonNode document, JsonNode schema)
    {
        var types = Types(schema);
        var format = (string?)schema["format"];
        yield return ("missing", Missing, false);
        yield return ("null", null, false);
        if (EnumValues(document, schema) is { } _)
        {
            yield return ("unknown enum value", "NoSuchValue", true);
            yield return ("enum value in lower case with NUL", "other\0", true);
            yield return ("enum as number", 1, true);
            yield break;
        }

        if (types.Contains("integer") || types.Contains("number"))
        {
            yield return ("as a string", "12", true);
            yield return ("true", true, true);
            yield return ("zero", 0, false);
            yield return ("negative", -1, false);
            yield return ("huge", JsonNode.Parse("1e30"), true);
            yield return ("beyond int64", JsonNode.Parse("9223372036854775808"), types.Contains("integer"));
            yield return ("max int32", int.MaxValue, false);
            yield return ("tiny fraction", JsonNode.Parse("0.000000001"), types.Contains("integer"));
            yield return ("NaN as a string", "NaN", true);
            if (types.Contains("integer"))
            {
                yield return ("fraction", 1.5, true);
            }

            yield break;
        }

        if (types.Contains("boolean"))
        {
            yield return ("as a string", "yes", true);
            yield return ("as a number", 1, true);
            yield break;
        }

        if (types.Contains("array"))
        {
            yield return ("a string", "x", true);
            yield return ("an object", new JsonObject(), true);
            yield return ("empty", new JsonArray(), false);
            yield return ("holding null", new JsonArray((JsonNode?)null), false);
            yield return ("holding a number", new JsonArray(7), true);
            yield return ("1,000 items", new JsonArray([.. Enumerable.Range(0, 1_000).Select(i => (JsonNode?)JsonValue.Create($"i{i}"))]), false);
            yield break;
        }

        if (format == "date-time")
        {
            yield return ("not a date", "yesterday", true);
            yield return ("month 13", "2024-13-01T00:00:00Z", true);
            yield return ("as a number", 1_700_000_000, true);
            yield return ("year 1", "0001-01-01T00:00:00+00:00", false);
            yield return ("year 9999", "9999-12-31T23:59:59+00:00", false);
            yield return ("no offset", "2024-01-01T00:00:00", false);
            yield break;
        }

        if (format == "uuid")
        {
            yield return ("empty GUID", EmptyGuid, true);
            yield return ("not a GUID", "not-a-guid", true);
            yield return ("as a number", 42, true);
            yield return ("GUID with NUL", $"{Guid.NewGuid()}\0", true);
            yield return ("unknown GUID", Guid.NewGuid().ToString(), false);
            yield break;
        }

        if (types.Contains("object"))
        {
            yield return ("a string", "x", true);
            yield return ("an array", new JsonArray(), true);
            yield break;
        }

        // Text.
        yield return ("a number", 12_345, true);
        yield return ("an object", new JsonObject(), true);
        yield return ("NUL", "a\0b", true);
        yield return ("control character", "a\u0001b", true);
        yield return ("lone surrogate", $"a{LoneSurrogateMarker}b", true);
        yield return ("empty", "", false);
        yield return ("spaces", "   ", false);
        yield return ("10,000 characters", new string('x', 10_000), false);
        yield return ("10,000 Cyrillic letters", new string('ж', 10_000), false);
        yield return ("line breaks", "a\r\nb\tc", false);
    }

    /// <summary>Stands for a lone surrogate in a text until the body is written (JSON-safe, so written as it is).</summary>
    private const string LoneSurrogateMarker = "~lone-surrogate~";

    /// <summary>Marks a field to be removed rather than set.</summary>
    private static readonly JsonNode Missing = JsonValue.Create("\u0002missing\u0002")!;

    /// <summary>The fields of a body, top level and those of the first item of an array of objects (<c>lines[0].price</c>).</summary>
    private static IEnumerable<(string Field, JsonNode Schema)> Fields(JsonNode document, JsonNode schema, string prefix)
    {
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            var resolved = Resolve(document, property!);
            yield return (prefix + name, resolved);
            if (resolved["items"] is { } items && Resolve(document, items)["properties"] is not null && prefix.Length == 0)
            {
                foreach (var nested in Fields(document, Resolve(document, items), $"{name}[0]."))
                {
                    yield return nested;
                }
            }
        }
    }

    private static void Replace(JsonObject body, string field, JsonNode? value)
    {
        var parts = field.Split('.');
        var target = body;
        if (parts.Length == 2)
        {
            var array = parts[0][..parts[0].IndexOf('[', StringComparison.Ordinal)];
            target = body[array]![0]!.AsObject();
        }

        var name = parts[^1];
        if (ReferenceEquals(value, Missing))
        {
            target.Remove(name);
        }
        else
        {
            target[name] = value?.DeepClone();
        }
    }

    /// <summary>A body that the endpoint would likely take, so that one bad field is what it refuses.</summary>
    private static JsonNode? Plausible(JsonNode document, JsonNode schema, Func<string, string> fixtures, string name)
    {
        schema = Resolve(document, schema);
        if (EnumValues(document, schema) is { } values)
        {
            return values.Last(v => v is not null)!.DeepClone();
        }

        var types = Types(schema);
        if (schema["properties"] is JsonObject properties)
        {
            var body = new JsonObject();
            foreach (var (property, propertySchema) in properties)
            {
                body[property] = Plausible(document, propertySchema!, fixtures, property);
            }

            return body;
        }

        if (types.Contains("array"))
        {
            return new JsonArray(Plausible(document, schema["items"]!, fixtures, name.TrimEnd('s')));
        }

        if (types.Contains("integer"))
        {
            return 1;
        }

        if (types.Contains("number"))
        {
            return 100;
        }

        if (types.Contains("boolean"))
        {
            return false;
        }

        if ((string?)schema["format"] == "date-time")
        {
            return DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture);
        }

        var value = fixtures(name);
        return (string?)schema["format"] == "uuid" && !Guid.TryParse(value, out _) ? Guid.NewGuid().ToString() : value;
    }

    private static JsonArray? EnumValues(JsonNode document, JsonNode schema)
    {
        schema = Resolve(document, schema);
        return schema["enum"] as JsonArray
            ?? (schema["oneOf"] as JsonArray)?.Select(c => c!["$ref"] is null ? null : Resolve(document, c)["enum"] as JsonArray)
                .FirstOrDefault(e => e is not null);
    }

    private static HashSet<string> Types(JsonNode schema) => schema["type"] switch
    {
        JsonArray many => many.Select(t => (string)t!).ToHashSet(),
        JsonValue one => [(string)one!],
        _ => [],
    };

    private static JsonNode Resolve(JsonNode document, JsonNode schema) =>
        schema["$ref"] is { } reference ? document["components"]!["schemas"]![((string)reference!).Split('/')[^1]]! : schema;

    private static string Fill(string path, IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(path, (p, v) => p.Replace($"{{{v.Key}}}", v.Value, StringComparison.Ordinal));
}
