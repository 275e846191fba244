using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using OzonActors.Gateway.Auth;
using OzonActors.Persistence;
using OzonActors.Persistence.Events;
using OzonActors.Persistence.Hosting;

namespace OzonActors.Gateway.Live;

/// <summary>
/// Live events at <c>/hubs/events</c>. On connect the caller joins the groups its token allows; the dispatcher
/// pushes each committed event to them as <c>event</c>; <c>Resume</c> replays what the caller missed.
/// </summary>
[Authorize(Policy = Policies.Customer)]
internal sealed class EventsHub(
    LiveEventDispatcher dispatcher, LiveConnections connections, EventFeed feed, ILogger<EventsHub> log) : Hub
{
    public const string Path = "/hubs/events";

    /// <summary>The client method every pushed event calls.</summary>
    public const string EventMethod = "event";

    /// <summary>At most this many events per Resume answer; a client that gets this many calls again from the last.</summary>
    public const int MaxResumeEvents = 1000;

    public override async Task OnConnectedAsync()
    {
        var groups = CallerGroups();
        foreach (var group in groups)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted).ConfigureAwait(false);
        }

        connections.Add(Context.ConnectionId, groups);
        OzonMetrics.Connections.Add(1);
        GatewayLog.LiveConnected(log, Context.ConnectionId, groups);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        // SignalR leaves its groups by itself; our own index must be told.
        connections.Remove(Context.ConnectionId, CallerGroups());
        OzonMetrics.Connections.Add(-1);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The caller's events after <paramref name="afterPosition"/> (null: from the oldest kept), in order, up to the
    /// dispatcher's cut: every later event reaches the caller live. At most <see cref="MaxResumeEvents"/> per call.
    /// </summary>
    public async Task<IReadOnlyList<LiveEvent>> Resume(string? afterPosition)
    {
        if (!EventPosition.TryParse(afterPosition, out var after))
        {
            throw new HubException(
                "afterPosition is not an event position: pass the 'position' of the last event received "
                + "(two 16-digit hex numbers joined by '-'), or null to start from the oldest event kept.");
        }

        var cancellationToken = Context.ConnectionAborted;
        var upTo = await dispatcher.CutAsync(cancellationToken).ConfigureAwait(false);
        EventBatch batch;
        try
        {
            batch = await feed.ReadForAudiencesAsync(after, upTo, CallerGroups(), MaxResumeEvents, cancellationToken).ConfigureAwait(false);
        }
        catch (GrainStorageException exception)
        {
            GatewayLog.LiveResumeFailed(log, exception, Context.ConnectionId);
            throw new HubException("Storage is unavailable; call Resume again.");
        }

        GatewayLog.LiveResumed(log, Context.ConnectionId, after.ToString(), upTo.ToString(), batch.Events.Count);
        return batch.Events.Select(LiveEvent.From).ToArray();
    }

    /// <summary>The caller's groups, from its token (the same at connect, resume and disconnect).</summary>
    private IReadOnlyList<string> CallerGroups() => LiveGroups.For(Context.User!.GetCaller());
}
