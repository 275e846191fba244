namespace OzonActors.Bench;

/// <summary>
/// The system clock moved by an offset that a scenario can change: it runs at real speed (timers, timestamps and
/// delays are the system's), but <see cref="GetUtcNow"/> reads "now" as <c>system now + offset</c>. A scenario sets
/// up a past (a month's activity, a connection 91 days ago) and then jumps to the present, so that what falls due
/// in between falls due at once, as it would after that much real time.
/// </summary>
internal sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far this clock is ahead of the system clock (negative: behind).</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Sets how far the clock is ahead of the system clock (negative: behind).</summary>
    public void SetOffset(TimeSpan offset) => Volatile.Write(ref _offsetTicks, offset.Ticks);

    /// <summary>Moves the clock so that it reads <paramref name="now"/> at this instant, and runs at real speed from there.</summary>
    public void Set(DateTimeOffset now) => Volatile.Write(ref _offsetTicks, (now - System.GetUtcNow()).Ticks);
}
