using System.Collections.Concurrent;

namespace OzonActors.Runtime.Activation;

/// <summary>
/// Which class implements each grain interface, and which class each stable type name belongs to.
/// Built once from the registered grain classes; lookups are lock-free.
/// </summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainClassInfo> _classByInterface = [];
    private readonly Dictionary<string, GrainClassInfo> _classByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> _interfaceByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, GrainInterfaceInfo> _interfaces = new();

    public GrainTypeRegistry(IEnumerable<Type> grainClasses)
    {
        foreach (var type in grainClasses.Distinct())
        {
            var info = new GrainClassInfo(type);
            if (!_classByName.TryAdd(info.TypeName, info))
            {
                throw new ArgumentException(
                    $"Grain type name '{info.TypeName}' is used by both {_classByName[info.TypeName].Type.FullName} and {type.FullName}.");
            }

            foreach (var grainInterface in info.GrainInterfaces)
            {
                _interfaceByName[grainInterface.FullName!] = grainInterface;

                // IRemindable is a capability, not an address: many classes implement it.
                if (grainInterface != typeof(IRemindable) && !_classByInterface.TryAdd(grainInterface, info))
                {
                    throw new ArgumentException(
                        $"Grain interface {grainInterface.FullName} is implemented by both {_classByInterface[grainInterface].Type.FullName} and {type.FullName}.");
                }
            }
        }

        // Prepare every interface now, so a bad signature fails at start rather than on first call.
        foreach (var grainInterface in _interfaceByName.Values)
        {
            GetInterface(grainInterface);
        }
    }

    /// <summary>The prepared methods of a grain interface.</summary>
    public GrainInterfaceInfo GetInterface(Type grainInterface) =>
        _interfaces.GetOrAdd(grainInterface, static type => new GrainInterfaceInfo(type));

    /// <summary>The prepared methods of a grain interface named by its full name, as in a serialized invocation.</summary>
    public GrainInterfaceInfo GetInterface(string interfaceName) =>
        _interfaceByName.TryGetValue(interfaceName, out var type)
            ? GetInterface(type)
            : throw new ArgumentException($"Unknown grain interface '{interfaceName}'.");

    /// <summary>The class a caller reaches through <paramref name="grainInterface"/>.</summary>
    public GrainClassInfo GetClassFor(Type grainInterface) =>
        _classByInterface.TryGetValue(grainInterface, out var grainClass)
            ? grainClass
            : throw new ArgumentException(
                $"No grain class implements {grainInterface.FullName}. Register the assembly that contains it with AddGrains(...).");

    public GrainClassInfo GetClass(string typeName) =>
        _classByName.TryGetValue(typeName, out var info)
            ? info
            : throw new ArgumentException($"Unknown grain type '{typeName}'.");
}
