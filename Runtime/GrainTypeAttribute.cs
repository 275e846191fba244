namespace OzonActors.Runtime;

/// <summary>
/// The stable name a grain class is persisted and addressed under. It must never change once data exists,
/// which is why the runtime never falls back to CLR type names.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The stable type name, e.g. <c>return-request</c>.</summary>
    public string Name { get; } = name;
}
