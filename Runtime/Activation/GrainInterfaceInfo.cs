using System.Collections.Frozen;
using System.Reflection;

namespace OzonActors.Runtime.Activation;

/// <summary>A grain interface with all its methods, its own and inherited, prepared once.</summary>
internal sealed class GrainInterfaceInfo
{
    public GrainInterfaceInfo(Type type)
    {
        Type = type;
        var methods = new[] { type }.Concat(type.GetInterfaces())
            .Where(i => i != typeof(IGrain) && typeof(IGrain).IsAssignableFrom(i))
            .SelectMany(i => i.GetMethods().Select(m => (Interface: i, Method: m)))
            .ToList();
        var overloads = methods.GroupBy(m => m.Method.Name).FirstOrDefault(g => g.Count() > 1);
        if (overloads is not null)
        {
            throw new ArgumentException(
                $"Grain interface {type.FullName} declares '{overloads.Key}' more than once; grain methods are addressed by name, so overloads are not allowed.");
        }

        var prepared = methods.Select(m => GrainMethod.Create(m.Interface, m.Method)).ToList();
        ByMethod = prepared.ToFrozenDictionary(m => m.Method);
        ByName = prepared.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
    }

    public Type Type { get; }

    public FrozenDictionary<MethodInfo, GrainMethod> ByMethod { get; }

    public FrozenDictionary<string, GrainMethod> ByName { get; }
}
