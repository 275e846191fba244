namespace OzonActors.Runtime.Activation;

/// <summary>Hands out proxies; validates keys so that a bad key fails at the caller, not inside the runtime.</summary>
internal sealed class GrainFactory(GrainTypeRegistry registry, IGrainCallRouter router) : IGrainFactory
{
    /// <summary>Longest accepted string key; identities are primary keys, not payloads.</summary>
    public const int MaxKeyLength = 512;

    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        ValidateKey(key);
        return Create<TGrain>(key);
    }

    public TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey
    {
        if (key == Guid.Empty)
        {
            throw new ArgumentException($"Guid.Empty is not a grain key ({typeof(TGrain).Name}).", nameof(key));
        }

        return Create<TGrain>(key.ToString("D"));
    }

    internal static void ValidateKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ArgumentException("A grain key must not be null, empty or whitespace.", nameof(key));
        }

        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"A grain key must be at most {MaxKeyLength} characters (was {key.Length}).", nameof(key));
        }

        if (key.Any(char.IsControl))
        {
            throw new ArgumentException("A grain key must not contain control characters.", nameof(key));
        }
    }

    private TGrain Create<TGrain>(string key)
    {
        var grainClass = registry.GetClassFor(typeof(TGrain));
        return (TGrain)GrainProxy.Create(typeof(TGrain), registry.GetInterface(typeof(TGrain)), new GrainId(grainClass.TypeName, key), router);
    }
}
