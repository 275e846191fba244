using OzonActors.Runtime.Activation;

namespace OzonActors.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>Idle longer than <c>Runtime:CollectionAge</c>, or the grain asked with <c>DeactivateOnIdle</c>.</summary>
    Idle,

    /// <summary>The process is shutting down.</summary>
    Shutdown,
}

/// <summary>
/// Base class of every grain: a single-threaded object addressed by its <see cref="GrainId"/>.
/// The runtime runs one turn at a time per activation, awaits included.
/// </summary>
public abstract class Grain
{
    internal GrainActivation Activation { get; set; } = null!;

    /// <summary>This grain's identity.</summary>
    public GrainId GrainId => Activation.Id;

    /// <summary>References to other grains.</summary>
    protected IGrainFactory GrainFactory => Activation.Runtime.Factory;

    /// <summary>The clock every rule must read (a fake one in tests).</summary>
    protected TimeProvider TimeProvider => Activation.Runtime.Time;

    /// <summary>The string key of this grain.</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>The Guid key of this grain.</summary>
    public Guid GetPrimaryKey() => Guid.Parse(GrainId.Key);

    /// <summary>Runs once per activation, after state is loaded and before the first call.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once when the activation is collected or the process stops.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivate this activation as soon as its queue is empty.</summary>
    protected void DeactivateOnIdle() => Activation.DeactivateOnIdle();

    internal virtual Task LoadStateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True when the turn queued events or reminder changes that no write committed.</summary>
    internal virtual bool HasUncommittedChanges => false;

    internal virtual void DiscardUncommittedChanges()
    {
    }

    /// <summary>Stateless grains keep running after a failed turn; stateful ones reload, see <see cref="Grain{TState}"/>.</summary>
    internal virtual bool ReloadAfterFailedTurn => false;
}
