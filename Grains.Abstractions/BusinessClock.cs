namespace OzonActors;

/// <summary>
/// The clock every business rule reads (deadlines, trial days, token lifetimes): the <see cref="TimeProvider"/>
/// registered under <see cref="Key"/>, by default the same as the host's. It is a keyed service so that tests can move
/// it by weeks without moving Orleans' own clock, which drives probes, timeouts and timers that must keep real time.
/// </summary>
public static class BusinessClock
{
    /// <summary>The service key: <c>[FromKeyedServices(BusinessClock.Key)] TimeProvider time</c>.</summary>
    public const string Key = "ozon-business-clock";
}
