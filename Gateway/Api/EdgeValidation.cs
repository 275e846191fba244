using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace OzonActors.Gateway.Api;

/// <summary>
/// The one rule every identifier and every text meets before a handler runs, whichever endpoint takes it (route, query or
/// body, at any depth of a request record): an id is never the empty GUID, an id-like text (a field named <c>…Id</c>, an
/// email, a phone, a code, a token) has no control character and no surrounding space, and no text holds a character a
/// store cannot keep (NUL, which PostgreSQL's jsonb refuses, or half of a surrogate pair). The same input is refused the
/// same way in memory and on PostgreSQL, with a 400 naming the field, and nothing is changed. Free text may hold line breaks
/// and tabs; an id may not begin or end with a space.
/// </summary>
public static class EdgeValidation
{
    private static readonly ConcurrentDictionary<Type, Func<object, IEnumerable<(string Name, object? Value)>>?> Members = new();

    /// <summary>Adds the rule to every route handler under <paramref name="endpoints"/>.</summary>
    public static TBuilder ValidatesEdge<TBuilder>(this TBuilder endpoints) where TBuilder : IEndpointConventionBuilder =>
        endpoints.AddEndpointFilterFactory((factory, next) =>
        {
            var parameters = factory.MethodInfo.GetParameters();
            return async context =>
            {
                var errors = new RequestErrors();
                for (var i = 0; i < parameters.Length && i < context.Arguments.Count; i++)
                {
                    switch (context.Arguments[i])
                    {
                        case IValidatedRequest body:
                            // A body's fields are named as the client sent them, like ValidationFilter names them.
                            foreach (var (name, member) in Members.GetOrAdd(body.GetType(), Reader)!(body))
                            {
                                Check(errors, name, member, depth: 1);
                            }

                            break;
                        case Guid or string:
                            Check(errors, JsonNamingPolicy.CamelCase.ConvertName(parameters[i].Name ?? $"arg{i}"), context.Arguments[i]);
                            break;
                    }
                }

                return errors.Any
                    ? TypedResults.ValidationProblem(errors.Fields, type: ProblemTypes.For("invalid-request"), title: "Bad Request")
                    : await next(context);
            };
        });

    /// <summary>The rule for one value (exposed for tests and for values read outside model binding).</summary>
    public static void Check(RequestErrors errors, string field, object? value, int depth = 0)
    {
        switch (value)
        {
            case null:
                return;
            case Guid id when id == Guid.Empty:
                errors.Add(field, $"'{field}' must not be the empty id (00000000-0000-0000-0000-000000000000).");
                return;
            case string text:
                CheckText(errors, field, text);
                return;
            case IEnumerable items when depth < 4:
                var index = 0;
                foreach (var item in items)
                {
                    Check(errors, $"{field}[{index++}]", item, depth + 1);
                }

                return;
        }

        if (depth < 4 && Members.GetOrAdd(value.GetType(), Reader) is { } read)
        {
            foreach (var (name, member) in read(value))
            {
                Check(errors, $"{field}.{name}", member, depth + 1);
            }
        }
    }

    private static void CheckText(RequestErrors errors, string field, string text)
    {
        var name = field[(field.LastIndexOf('.') + 1)..].Split('[')[0];
        var id = name.EndsWith("Id", StringComparison.Ordinal) || name == "id";
        var idLike = id || name is "email" or "phone" or "code" or "token" or "refreshToken";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || (char.IsHighSurrogate(c) && (i + 1 >= text.Length || !char.IsLowSurrogate(text[++i]))) || char.IsLowSurrogate(c))
            {
                errors.Add(field, $"'{field}' contains a character that cannot be stored (NUL or half of a surrogate pair).");
                return;
            }

            if (char.IsControl(c) && (idLike || c is not ('\n' or '\r' or '\t')))
            {
                errors.Add(field, $"'{field}' must not contain control characters.");
                return;
            }
        }

        if (id && text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
        {
            errors.Add(field, $"'{field}' must not begin or end with spaces.");
        }
    }

    /// <summary>The public properties of the request records this API defines (null for other types, which hold no input).</summary>
    private static Func<object, IEnumerable<(string Name, object? Value)>>? Reader(Type type)
    {
        if (type.Namespace?.StartsWith("OzonActors.Gateway", StringComparison.Ordinal) != true || type.IsEnum)
        {
            return null;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead)
            .Select(p => (Name: JsonNamingPolicy.CamelCase.ConvertName(p.Name), Property: p))
            .ToArray();
        return value => properties.Select(p => (p.Name, p.Property.GetValue(value)));
    }
}
