namespace OzonActors.Persistence.Facet;

/// <summary>What <see cref="DurableGrain{TState}"/> and <see cref="DurableStateCallFilter"/> drive in a grain's durable state.</summary>
internal interface IDurableStateControl
{
    /// <summary>Before a call: reloads the state if the previous turn failed.</summary>
    Task BeforeCallAsync();

    /// <summary>After a call threw: drops what the turn queued and marks the state for reload before the next call.</summary>
    void OnCallFailed();

    /// <summary>
    /// Runs <paramref name="handler"/> for the deadline <paramref name="name"/> if the state holds it and it is due; the
    /// deadline is consumed by the handler's write (or by a write of its own if the handler wrote nothing). A tick for a
    /// deadline the state does not hold unregisters its reminder. True when the handler ran.
    /// </summary>
    Task<bool> HandleDeadlineAsync(string name, Func<string, DateTimeOffset, Task> handler);

    /// <summary>Handles every deadline that has passed, oldest first.</summary>
    Task ApplyDueDeadlinesAsync(Func<string, DateTimeOffset, Task> handler);
}
