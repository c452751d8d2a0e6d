using System.Threading.Channels;
using JobGateway.Core.Execution;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobGateway.Persistence.Postgres;

/// <summary>
/// The job signal across gateway instances: a pulse wakes this instance's waiters at once and sends a
/// PostgreSQL <c>NOTIFY</c>; every other instance <c>LISTEN</c>s and wakes its own waiters when one arrives.
/// So a job created on instance A reaches an idle worker or a long-polling fetch on instance B without
/// waiting for a poll. Pulses are coalesced: while one <c>NOTIFY</c> is being sent, any number of further
/// pulses make exactly one more, so a burst of creates costs a couple of notifications, not one each.
/// The signal only ever shortens a wait; a lost notification (listener reconnecting) costs one poll interval,
/// never a job, which is why the listener also wakes everyone after each (re)connect.
/// </summary>
internal sealed partial class PostgresJobSignal(NpgsqlDataSource dataSource, ILogger<PostgresJobSignal> logger) : IJobSignal
{
    /// <summary>The <c>LISTEN</c>/<c>NOTIFY</c> channel every instance shares.</summary>
    public const string ChannelName = "jobgateway_jobs";

    // The wait before reconnecting to the server is about the server, not about jobs: real time, so a test's
    // frozen clock cannot leave an instance deaf forever.
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    // How long the listener waits for a notification before checking that its connection is still alive.
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(30);

    private readonly InProcessJobSignal _local = new();
    private readonly Channel<bool> _outgoing = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    // Our own notifications come back to our listener; this instance's waiters were woken already.
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the listener has subscribed (the first time).</summary>
    public Task Listening => _listening.Task;

    public void Pulse()
    {
        _local.Pulse();
        _outgoing.Writer.TryWrite(true);
    }

    // Other instances are told only that something is ready (the notification carries no types).
    public void Pulse(IEnumerable<string> types)
    {
        _local.Pulse(types);
        _outgoing.Writer.TryWrite(true);
    }

    public Task WaitAsync(CancellationToken cancellationToken) => _local.WaitAsync(cancellationToken);

    public Task WaitAsync(IReadOnlyCollection<string> types, CancellationToken cancellationToken) => _local.WaitAsync(types, cancellationToken);

    /// <summary>Listens and sends until <paramref name="stoppingToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stoppingToken) => Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                await using var unlisten = new Unlisten(connection);
                connection.Notification += (_, e) =>
                {
                    if (!string.Equals(e.Payload, _instance, StringComparison.Ordinal))
                    {
                        _local.Pulse();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever was notified while we were not listening is found by looking now.
                _local.Pulse();
                _listening.TrySetResult();
                while (true)
                {
                    if (!await connection.WaitAsync(ProbeInterval, stoppingToken))
                    {
                        // A silent network can leave the socket open and deaf; a round trip finds out.
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenerFailed(logger, ex, ReconnectDelay.TotalSeconds);
                await DelayAsync(stoppingToken);
            }
        }
    }

    // Pooled connections are not reset when they go back (PostgresConnectionDefaults): the listening one stops
    // listening first, unless it is broken, which the pool discards anyway.
    private sealed class Unlisten(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                return;
            }

            try
            {
                // Briefly: on the way out of a shutdown or a failure, an unresponsive server must not hold us up.
                await using var command = new NpgsqlCommand("UNLISTEN *", connection) { CommandTimeout = 2 };
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
#pragma warning disable CA1031 // Best effort on the way out: the listener's own error is the one that matters.
            catch (Exception)
#pragma warning restore CA1031
            {
                // A connection that cannot run UNLISTEN is broken: the pool does not keep it.
            }
        }
    }

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(stoppingToken))
            {
                _outgoing.Reader.TryRead(out _);
                try
                {
                    connection ??= await dataSource.OpenConnectionAsync(stoppingToken);
                    await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                    notify.Parameters.AddWithValue("channel", ChannelName);
                    notify.Parameters.AddWithValue("payload", _instance);
                    await notify.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Other instances find the job on their next poll; try a fresh connection next time.
                    LogNotifyFailed(logger, ex);
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: pulses after this only wake this instance.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task DelayAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(ReconnectDelay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // The loop condition ends the listener.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for job notifications failed; reconnecting in {Seconds} s (jobs are still found by polling)")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a job notification failed; other instances will find the job on their next poll")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);
}
