namespace OzonActors.Persistence.Facet;

/// <summary>A grain that handles its own deadlines (see <see cref="DurableGrain{TState}"/>).</summary>
internal interface IDeadlineHandler
{
    /// <summary>Applies the deadline <paramref name="name"/>, due at <paramref name="dueAt"/>; must be idempotent.</summary>
    Task OnDeadlineAsync(string name, DateTimeOffset dueAt);
}
