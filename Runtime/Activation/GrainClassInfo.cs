using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace OzonActors.Runtime.Activation;

/// <summary>A registered grain class: its stable type name and how to construct it with dependency injection.</summary>
internal sealed class GrainClassInfo
{
    public GrainClassInfo(Type type)
    {
        if (!typeof(Grain).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new ArgumentException($"{type.FullName} is not a concrete grain class deriving from Grain.");
        }

        TypeName = type.GetCustomAttribute<GrainTypeAttribute>()?.Name
            ?? throw new ArgumentException(
                $"Grain class {type.FullName} has no [GrainType(\"...\")]: grains are persisted under explicit, stable names.");
        Type = type;
        Factory = ActivatorUtilities.CreateFactory(type, []);
        GrainInterfaces = type.GetInterfaces()
            .Where(i => i != typeof(IGrain) && i != typeof(IGrainWithStringKey) && i != typeof(IGrainWithGuidKey)
                && typeof(IGrain).IsAssignableFrom(i))
            .ToArray();
    }

    public Type Type { get; }

    public string TypeName { get; }

    public ObjectFactory Factory { get; }

    public Type[] GrainInterfaces { get; }
}
