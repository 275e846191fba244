using Orleans;

namespace OzonActors.Persistence.Facet;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IDurableState{TState}"/>: Orleans hands the grain its
/// durable state, loaded before activation, the way <c>[PersistentState]</c> does for Orleans' own storage.
/// </summary>
/// <param name="name">
/// The stable name the state is stored under (its <c>grain_type</c>); it must never change once data exists, so it is
/// spelled out rather than taken from a CLR type name.
/// </param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class DurableStateAttribute(string name) : Attribute, IFacetMetadata
{
    /// <summary>The stable storage name, e.g. <c>return-request</c>.</summary>
    public string Name { get; } = name;
}
