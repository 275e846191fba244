namespace OzonActors.Persistence;

/// <summary>A storage provider failed (connection lost, constraint, timeout). The inner exception has the provider's detail.</summary>
/// <remarks>Serialized by Orleans' generated codec, so a caller on another silo still sees a storage failure (a 503), not a 500.</remarks>
[Orleans.GenerateSerializer]
public sealed class GrainStorageException : Exception
{
    public GrainStorageException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
