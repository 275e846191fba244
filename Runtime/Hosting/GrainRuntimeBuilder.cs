using System.Reflection;

namespace OzonActors.Runtime.Hosting;

/// <summary>Chooses which grain classes this process hosts.</summary>
public sealed class GrainRuntimeBuilder
{
    internal List<Type> GrainClasses { get; } = [];

    /// <summary>Hosts every concrete <see cref="Grain"/> class of <paramref name="assembly"/>.</summary>
    public GrainRuntimeBuilder AddGrains(Assembly assembly)
    {
        GrainClasses.AddRange(assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(Grain).IsAssignableFrom(t)));
        return this;
    }

    /// <summary>Hosts one grain class.</summary>
    public GrainRuntimeBuilder AddGrain<TGrain>() where TGrain : Grain
    {
        GrainClasses.Add(typeof(TGrain));
        return this;
    }
}
