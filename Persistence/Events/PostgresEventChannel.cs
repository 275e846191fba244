using Microsoft.Extensions.Logging;
using Npgsql;

namespace OzonActors.Persistence.Events;

/// <summary>
/// Cross-process wake-ups for event feeds. Business transactions only insert rows; after commits, one
/// <c>NOTIFY</c> is sent per batch of commits (outside any business transaction), and one <c>LISTEN</c>
/// connection per process pulses the local feeds.
/// </summary>
internal sealed class PostgresEventChannel(NpgsqlDataSource dataSource, string schema, RuntimeSignals signals, ILogger<PostgresEventChannel> log)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public string Channel { get; } = $"ozon_events_{schema}";

    /// <summary>
    /// Sends one notification for all commits made since the previous one. The next wake-up is taken before each
    /// notification (as <see cref="AsyncSignal"/> requires), so a commit made while one is being sent gets one of its own;
    /// and the first is sent at start, for commits made before this loop ran.
    /// </summary>
    public async Task NotifyLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var next = signals.EventsAppended.Next;
                await using (var command = dataSource.CreateCommand("SELECT pg_notify($1, '')"))
                {
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Channel });
                    await command.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }

                await next.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                log.EventLoopFailed(exception, "notifier", RetryDelay);
                await DelayAsync(stopping).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Listens for notifications and pulses local feeds; reconnects after failures.</summary>
    public async Task ListenLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += (_, _) => signals.EventsAvailable.Pulse();

                // The channel is derived from the validated schema name, so it is a plain identifier.
                await using (var listen = new NpgsqlCommand($"LISTEN \"{Channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }

                // Anything committed while we were not listening is picked up by a look now.
                signals.EventsAvailable.Pulse();
                while (!stopping.IsCancellationRequested)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                log.EventLoopFailed(exception, "listener", RetryDelay);
                await DelayAsync(stopping).ConfigureAwait(false);
            }
        }
    }

    private static async Task DelayAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(RetryDelay, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
