namespace OzonActors.Persistence;

/// <summary>
/// A broadcast wake-up without lost pulses: a consumer takes <see cref="Next"/> before it looks for work, and
/// awaits it only if it found none; any <see cref="Pulse"/> after that moment completes the task it holds.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Pulse"/>.</summary>
    public Task Next => Volatile.Read(ref _current).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult();

    /// <summary>
    /// Awaits <paramref name="next"/> for at most <paramref name="timeout"/> of <paramref name="time"/>; returns quietly
    /// on cancellation too, so loops check their token and end.
    /// </summary>
    public static async Task WaitAsync(Task next, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await next.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The poll interval passed: the caller looks again.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the caller's loop sees its token.
        }
    }
}
