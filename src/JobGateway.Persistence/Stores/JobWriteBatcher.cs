using System.Threading.Channels;
using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using JobGateway.Persistence.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobGateway.Persistence.Stores;

/// <summary>
/// Group commit for creates. Requests queue their new job and wait; one writer takes everything queued, inserts it
/// in one transaction (one commit and one WAL sync on SQLite, through its prepared statements; one round trip of
/// batched INSERTs through EF on PostgreSQL) and then completes every waiting request. A request is acknowledged only after its job is
/// committed. There is no artificial delay: while one batch commits, the next one gathers, so batches grow with
/// load on their own.
/// </summary>
internal sealed partial class JobWriteBatcher(
    IServiceScopeFactory scopes, IJobSignal signal, ILogger<JobWriteBatcher> logger, SqliteJobStatements? sqlite = null, SqliteWriteGate? gate = null)
    : BackgroundService
{
    private const int MaxBatch = 256;

    private readonly Channel<PendingCreate> _queue = Channel.CreateUnbounded<PendingCreate>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Queues <paramref name="job"/> and completes once it is committed (with its number assigned), or fails with
    /// the exception its insert failed with (a unique index: another create with the same idempotency key). The
    /// wait cannot be cancelled: the job may already be in the batch being committed, and a commit takes
    /// milliseconds.
    /// </summary>
    public Task WriteAsync(Job job)
    {
        var pending = new PendingCreate(job);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The gateway is shutting down.");
        }

        return pending.Committed.Task;
    }

    /// <summary>
    /// The writer runs on a thread of its own, not as a thread-pool loop: under load the pool's queue is full of
    /// request work, and a writer waiting its turn there is what makes every create wait. At shutdown it commits
    /// what is queued, then ends.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        stoppingToken.Register(() => _queue.Writer.TryComplete());
        return Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void WriteLoop()
    {
        var batch = new List<PendingCreate>(MaxBatch);
        var reader = _queue.Reader;
        while (WaitForWork(reader))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            Flush(batch);
            batch.Clear();
        }
    }

    // Blocks this thread (it has nothing else to do) until a create is queued; false once shut down and drained.
    private static bool WaitForWork(ChannelReader<PendingCreate> reader)
    {
        var ready = reader.WaitToReadAsync();
        return ready.IsCompleted ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }

    private void Flush(List<PendingCreate> batch)
    {
        try
        {
            Insert(batch.ConvertAll(p => p.Job));
            batch.ForEach(p => p.Committed.TrySetResult());
            signal.Pulse(batch.Select(p => p.Job.Type).Distinct(StringComparer.Ordinal));
        }
        catch (Exception ex) when (batch.Count > 1 && DatabaseFailures.FailsEveryWrite(ex))
        {
            // The database failed (down, full, locked), not one row: every create of the batch gets the error at once,
            // and the writer goes on with the next batch.
            LogBatchFailed(logger, ex, batch.Count);
            batch.ForEach(p => p.Committed.TrySetException(ex));
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            // One refused row must not fail its neighbours: commit them one by one to find it.
            LogBatchFailed(logger, ex, batch.Count);
            foreach (var pending in batch)
            {
                Flush([pending]);
            }
        }
        catch (Exception ex)
        {
            batch[0].Committed.TrySetException(ex);
        }
    }

    private void Insert(List<Job> jobs)
    {
        if (sqlite is not null)
        {
            gate?.Enter();
            try
            {
                sqlite.Insert(jobs);
            }
            finally
            {
                gate?.Exit();
            }

            return;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        db.Jobs.AddRange(jobs);
        try
        {
            // The context saves asynchronously only (that is where its outbox is written); blocking here is fine,
            // this thread has nothing else to do.
            db.SaveChangesAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} creates failed to commit; committing them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed class PendingCreate(Job job)
    {
        public Job Job { get; } = job;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
