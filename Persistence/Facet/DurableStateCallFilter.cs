using Orleans;

namespace OzonActors.Persistence.Facet;

/// <summary>
/// Around every call to a grain with durable state: reload first if the previous turn failed, apply deadlines that have
/// passed (so an action racing its timeout meets the status the timeout left), and after a failure drop the turn's
/// in-memory changes so they can never leak into a later write.
/// </summary>
internal sealed class DurableStateCallFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.TargetContext.GetComponent<IDurableStateControl>() is not { } state)
        {
            await context.Invoke().ConfigureAwait(true);
            return;
        }

        try
        {
            await state.BeforeCallAsync().ConfigureAwait(true);
            if (context.Grain is IDeadlineHandler handler && context.InterfaceMethod?.DeclaringType != typeof(IRemindable))
            {
                await state.ApplyDueDeadlinesAsync(handler.OnDeadlineAsync).ConfigureAwait(true);
            }

            await context.Invoke().ConfigureAwait(true);
        }
        catch
        {
            state.OnCallFailed();
            throw;
        }
    }
}
