using Microsoft.Extensions.DependencyInjection;
using OzonActors.OzonId;
using OzonActors.Persistence;

namespace OzonActors.Grains.OzonId;

/// <summary>
/// A sliding hour of password attempts for one key. Kept in memory on purpose: it is a brake, not a record. The
/// activation lives past the window, so idleness does not reset it; a silo crash does, which a guesser cannot cause,
/// and nothing is stored per guessed email (an attacker cannot grow the database by guessing).
/// </summary>
[GrainType("password-attempts")]
[CollectionAgeLimit(Minutes = 61)]
public sealed class PasswordAttemptsGrain([FromKeyedServices(BusinessClock.Key)] TimeProvider time) : Grain, IPasswordAttemptsGrain
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly List<DateTimeOffset> _attempts = [];

    public Task BeginAsync(int maxPerHour)
    {
        var now = time.GetUtcNow();
        _attempts.RemoveAll(at => at <= now - Window);
        if (_attempts.Count >= maxPerHour)
        {
            throw DomainException.RateLimited("too-many-password-attempts",
                "Too many wrong passwords from here; try again later, or log in by phone on a device you used before.", _attempts.Min() + Window - now);
        }

        _attempts.Add(now);
        return Task.CompletedTask;
    }

    public Task ForgiveAsync()
    {
        if (_attempts.Count > 0)
        {
            _attempts.RemoveAt(_attempts.Count - 1);
        }

        return Task.CompletedTask;
    }
}
