namespace OzonActors;

/// <summary>
/// Implemented by grains that own durable deadlines. The runtime delivers a due reminder at least once,
/// until the turn that handles it completes; handlers must therefore be idempotent and check that the
/// state still expects the deadline.
/// </summary>
public interface IRemindable : IGrain
{
    /// <summary>Called when the reminder <paramref name="name"/>, due at <paramref name="dueAt"/>, has fallen due.</summary>
    Task ReceiveReminderAsync(string name, DateTimeOffset dueAt);
}
