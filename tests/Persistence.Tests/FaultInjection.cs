using OzonActors.Persistence.Storage;

namespace OzonActors.Persistence.Tests;

/// <summary>Fails writes of grains whose key starts with "faulty", just before commit.</summary>
internal sealed class FailingWriteInterceptor : IGrainWriteInterceptor
{
    public ValueTask BeforeCommitAsync(GrainWrite write, CancellationToken cancellationToken) =>
        write.StateKey.Key.StartsWith("faulty", StringComparison.Ordinal)
            ? throw new IOException("Injected fault before commit.")
            : ValueTask.CompletedTask;
}

/// <summary>Fails every write while <paramref name="faulty"/> answers true.</summary>
internal sealed class SwitchableFault(Func<bool> faulty) : IGrainWriteInterceptor
{
    public ValueTask BeforeCommitAsync(GrainWrite write, CancellationToken cancellationToken) =>
        faulty() ? throw new IOException("Injected fault before commit.") : ValueTask.CompletedTask;
}

/// <summary>Holds every commit for a random few milliseconds, so commits finish in a different order than they began.</summary>
internal sealed class RandomCommitDelay : IGrainWriteInterceptor
{
    public async ValueTask BeforeCommitAsync(GrainWrite write, CancellationToken cancellationToken) =>
        await Task.Delay(Random.Shared.Next(0, 15), cancellationToken);
}
