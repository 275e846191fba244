namespace OzonActors.Runtime;

/// <summary>
/// A write carried a stale version: another activation (perhaps in another process) wrote the grain first.
/// The activation that threw is dropped, so the next call reloads the current state.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception for <paramref name="grainId"/> written with <paramref name="expectedVersion"/>.</summary>
    public InconsistentStateException(GrainId grainId, long expectedVersion)
        : base($"Grain {grainId} was written by someone else: version {expectedVersion} is stale.")
    {
        GrainId = grainId;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The grain whose write was rejected.</summary>
    public GrainId GrainId { get; }

    /// <summary>The version the rejected write expected to replace.</summary>
    public long ExpectedVersion { get; }
}
