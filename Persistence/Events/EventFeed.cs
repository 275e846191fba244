using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using OzonActors.Persistence.Configuration;

namespace OzonActors.Persistence.Events;

/// <summary>
/// Follows the event log from a position: yields every committed event once, in position order, and then waits
/// for new ones, woken by local commits and by <c>LISTEN</c> notifications, with a polling fallback.
/// </summary>
public sealed class EventFeed
{
    /// <summary>How soon to look again when later events wait behind an uncommitted transaction.</summary>
    private static readonly TimeSpan PendingRecheck = TimeSpan.FromMilliseconds(5);

    private readonly IEventLog _log;
    private readonly RuntimeSignals _signals;
    private readonly EventLogOptions _options;

    internal EventFeed(IEventLog log, RuntimeSignals signals, IOptions<EventLogOptions> options)
    {
        _log = log;
        _signals = signals;
        _options = options.Value;
    }

    /// <summary>Reads the events after <paramref name="after"/> that are committed now (a replay page).</summary>
    public Task<EventBatch> ReadAsync(EventPosition after, int max, CancellationToken cancellationToken) =>
        _log.ReadAsync(after, max, cancellationToken);

    /// <summary>
    /// The position of the last event readable now (<see cref="EventPosition.Start"/> if none): a live reader that
    /// starts here sees every later event and none of the past.
    /// </summary>
    public Task<EventPosition> GetHeadAsync(CancellationToken cancellationToken) => _log.GetHeadAsync(cancellationToken);

    /// <summary>
    /// One client's replay page: up to <paramref name="max"/> events after <paramref name="after"/> and at or before
    /// <paramref name="upTo"/>, in position order, addressed to at least one of <paramref name="audiences"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is not positive.</exception>
    public Task<EventBatch> ReadForAudiencesAsync(
        EventPosition after, EventPosition upTo, IReadOnlyCollection<string> audiences, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audiences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return audiences.Count == 0 || upTo <= after
            ? Task.FromResult(new EventBatch([], Pending: false))
            : _log.ReadForAudiencesAsync(after, upTo, audiences, max, cancellationToken);
    }

    /// <summary>Every event after <paramref name="after"/>, then live ones, until cancelled.</summary>
    /// <remarks>Waiting uses the wall clock: polling is an operational interval, not a business deadline.</remarks>
    public async IAsyncEnumerable<EventEnvelope> SubscribeAsync(
        EventPosition after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var recheck = PendingRecheck;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = _signals.EventsAvailable.Next;
            var batch = await _log.ReadAsync(after, _options.ReadBatchSize, cancellationToken).ConfigureAwait(false);
            foreach (var envelope in batch.Events)
            {
                after = envelope.Position;
                yield return envelope;
            }

            if (batch.Events.Count == _options.ReadBatchSize)
            {
                continue;
            }

            // Events held back by an open transaction come soon, usually; a long transaction (a dump, an idle session)
            // must not turn every feed into a tight poll, so the recheck doubles while nothing moves.
            recheck = batch.Pending && batch.Events.Count == 0
                ? TimeSpan.FromTicks(Math.Min(recheck.Ticks * 2, _options.PollInterval.Ticks))
                : PendingRecheck;
            await AsyncSignal.WaitAsync(wake, batch.Pending ? recheck : _options.PollInterval, TimeProvider.System, cancellationToken)
                .ConfigureAwait(false);
        }
    }
}
