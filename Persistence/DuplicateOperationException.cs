namespace OzonActors.Persistence;

/// <summary>
/// A write claimed an operation key the grain had already claimed (a replayed order, say): nothing was committed.
/// <see cref="Facet.IDurableState{TState}.WriteStateOnceAsync"/> turns it into a reload and a <c>false</c> answer.
/// </summary>
public sealed class DuplicateOperationException : Exception
{
    /// <summary>Creates the exception for <paramref name="grainId"/> and the key it claimed again.</summary>
    public DuplicateOperationException(StateKey grainId, string? operationKey)
        : base($"Grain {grainId} already applied operation '{operationKey}'.")
    {
        StateKey = grainId;
        OperationKey = operationKey;
    }

    /// <summary>The grain whose write was rejected.</summary>
    public StateKey StateKey { get; }

    /// <summary>The key claimed again, when the provider can tell which.</summary>
    public string? OperationKey { get; }
}
