namespace OzonActors;

/// <summary>Marker for every grain interface. A grain is addressed by its interface and its key.</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key (for example an order id or a phone hash).</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>A grain addressed by a <see cref="Guid"/> key.</summary>
public interface IGrainWithGuidKey : IGrain;
