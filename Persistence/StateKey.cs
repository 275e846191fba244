namespace OzonActors.Persistence;

/// <summary>
/// The full identity of a grain: its stable type name (from <see cref="GrainTypeAttribute"/>) and its key.
/// Guid keys are stored in their "D" form.
/// </summary>
public readonly record struct StateKey(string Type, string Key)
{
    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Key}";
}
