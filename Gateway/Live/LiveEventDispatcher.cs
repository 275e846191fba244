using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using OzonActors.Persistence.Events;
using OzonActors.Persistence.Hosting;

namespace OzonActors.Gateway.Live;

/// <summary>
/// The one event reader of this process: follows the log from its head at start and sends each event to the hub
/// groups of its audiences, in position order. Sending an event and advancing <see cref="LastDispatched"/> happen
/// under one lock that <c>Resume</c> also takes, so a resuming client gets every older event from the log and every
/// newer one live.
/// </summary>
internal sealed class LiveEventDispatcher(
    EventFeed feed, IHubContext<EventsHub> hub, LiveConnections connections, ILogger<LiveEventDispatcher> log,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider time) : BackgroundService
{
    /// <summary>Sends not yet flushed before the reader waits for the oldest: bounds memory when a client stops reading.</summary>
    private const int MaxSendsInFlight = 4096;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _cut = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<(EventPosition Position, Task Send)> _inFlight = new();
    private EventPosition _lastDispatched;
    private bool _backedUp;

    /// <summary>True once the reader knows where it starts; before that no cut exists.</summary>
    public bool IsStarted => _started.Task.IsCompleted;

    /// <summary>The position of the last event handed to SignalR.</summary>
    public EventPosition LastDispatched
    {
        get
        {
            lock (_cut)
            {
                return _lastDispatched;
            }
        }
    }

    /// <summary>
    /// The position up to which a resuming client must read the log: every later event is sent, after this moment,
    /// to the groups the client is already in. Waits for the reader to start.
    /// </summary>
    public async Task<EventPosition> CutAsync(CancellationToken cancellationToken)
    {
        await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return LastDispatched;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!IsStarted)
                {
                    // Clients resume from the log, so the reader need not replay the past: it starts at the head.
                    var head = await feed.GetHeadAsync(stoppingToken).ConfigureAwait(false);
                    lock (_cut)
                    {
                        _lastDispatched = head;
                    }

                    _started.TrySetResult();
                    GatewayLog.LiveDispatcherStarted(log, head.ToString());
                }

                await foreach (var envelope in feed.SubscribeAsync(LastDispatched, stoppingToken).ConfigureAwait(false))
                {
                    await DispatchAsync(envelope).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                GatewayLog.LiveDispatcherFailed(log, exception, LastDispatched.ToString(), RetryDelay);
                try
                {
                    await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task DispatchAsync(EventEnvelope envelope)
    {
        // The push continues the trace of the request (or deadline) that committed the event.
        using var activity = envelope.TraceParent is { } parent && ActivityContext.TryParse(parent, null, out var committedIn)
            ? OzonTracing.Source.StartActivity($"live push {envelope.Type}", ActivityKind.Producer, committedIn)
            : null;
        activity?.SetTag("ozon.live.event_type", envelope.Type);
        activity?.SetTag("ozon.live.audiences", envelope.Audiences.Count);
        // Parsing the data is the costly part; it stays outside the lock that Resume waits on.
        object?[] arguments = [LiveEvent.From(envelope)];
        var audiences = envelope.Audiences;
        Task send;
        lock (_cut)
        {
            // SignalR queues the write to every member before these calls return, so the send is ordered with the cut.
            send = audiences.Count switch
            {
                0 => Task.CompletedTask,
                1 => hub.Clients.Group(audiences[0]).SendCoreAsync(EventsHub.EventMethod, arguments),
                _ => hub.Clients.Clients(connections.InAny(audiences)).SendCoreAsync(EventsHub.EventMethod, arguments),
            };
            _lastDispatched = envelope.Position;
        }

        if (audiences.Count > 0)
        {
            OzonMetrics.EventsPushed.Add(1);
            OzonMetrics.PushLag.Record(Math.Max(0, (time.GetUtcNow() - envelope.At).TotalSeconds));
        }

        // The writes are not awaited one by one: a client that reads slowly must not hold back everybody else.
        _inFlight.Enqueue((envelope.Position, send));
        while (_inFlight.TryPeek(out var oldest) && (oldest.Send.IsCompleted || _inFlight.Count > MaxSendsInFlight))
        {
            _inFlight.Dequeue();
            if (!oldest.Send.IsCompleted && !_backedUp)
            {
                // Once per episode: a stuck client would otherwise log on every event until SignalR drops it.
                _backedUp = true;
                GatewayLog.LiveSendsBackedUp(log, MaxSendsInFlight);
            }

            try
            {
                await oldest.Send.ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                GatewayLog.LiveSendFailed(log, exception, oldest.Position.ToString());
            }
        }

        _backedUp &= _inFlight.Count > MaxSendsInFlight / 2;
    }
}
