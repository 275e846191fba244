namespace OzonActors;

/// <summary>Creates references (proxies) to grains. A reference is cheap; the grain is activated on its first call.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of interface <typeparamref name="TGrain"/> with the string <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is empty, too long or contains control characters, or no grain class implements the interface.</exception>
    TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey;

    /// <summary>A reference to the grain of interface <typeparamref name="TGrain"/> with the Guid <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is <see cref="Guid.Empty"/>, or no grain class implements the interface.</exception>
    TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey;
}
