namespace OzonActors.Runtime;

/// <summary>A storage provider failed (connection lost, constraint, timeout). The inner exception has the provider's detail.</summary>
public sealed class GrainStorageException(string message, Exception? inner = null) : Exception(message, inner);
