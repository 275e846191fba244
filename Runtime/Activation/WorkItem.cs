using System.Diagnostics;

namespace OzonActors.Runtime.Activation;

/// <summary>One queued turn of an activation. Items form an intrusive list, so queueing allocates nothing.</summary>
internal interface IWorkItem
{
    IWorkItem? Next { get; set; }

    /// <summary>When the call was made, in <see cref="Stopwatch"/> ticks (call timeouts are wall-clock).</summary>
    long StartedAt { get; }

    GrainCall Call { get; }

    bool IsDone { get; }

    /// <summary>Runs the turn on the activation's grain; never throws.</summary>
    Task RunAsync(GrainActivation activation);

    void Fail(Exception exception);
}

/// <summary>A call waiting for its turn; its task is what the caller awaits.</summary>
internal sealed class GrainRequest<T>(GrainCall call)
    : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IWorkItem
{
    public IWorkItem? Next { get; set; }

    public long StartedAt { get; } = Stopwatch.GetTimestamp();

    public GrainCall Call => call;

    public bool IsDone => Task.IsCompleted;

    public async Task RunAsync(GrainActivation activation)
    {
        activation.CurrentReminder = call.Reminder;
        try
        {
            var turn = call.Method.Invoke(activation.Grain!, call.Arguments);
            await turn.ConfigureAwait(false);
            activation.CompleteTurn();
            TrySetResult(call.Method.ResultType is null ? default! : ((Task<T>)turn).Result);
        }
        catch (Exception exception)
        {
            activation.FailTurn();
            TrySetException(exception);
        }
        finally
        {
            activation.CurrentReminder = null;
        }
    }

    public void Fail(Exception exception) => TrySetException(exception);
}
