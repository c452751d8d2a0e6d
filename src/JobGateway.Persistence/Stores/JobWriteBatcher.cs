using System.Threading.Channels;
using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobGateway.Persistence.Stores;

/// <summary>
/// Group commit for creates. Requests queue their new job and wait; one writer takes everything queued,
/// inserts it in one transaction (one commit, one WAL sync on SQLite, one round trip on PostgreSQL) and then
/// completes every waiting request. A request is acknowledged only after its job is committed. There is no
/// artificial delay: while one batch commits, the next one gathers, so batches grow with load on their own.
/// </summary>
internal sealed partial class JobWriteBatcher : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly Channel<PendingCreate> _queue = Channel.CreateUnbounded<PendingCreate>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IJobBatchInserter _inserter;
    private readonly IJobSignal _signal;
    private readonly ILogger<JobWriteBatcher> _logger;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JobWriteBatcher(IJobBatchInserter inserter, IJobSignal signal, ILogger<JobWriteBatcher> logger)
    {
        _inserter = inserter;
        _signal = signal;
        _logger = logger;

        // A thread of its own, not a thread-pool loop: under load the pool's queue is full of request work, and
        // a writer waiting its turn there is what makes every create wait. The OS wakes this thread as soon as
        // a create is queued, and the commit's blocking I/O holds no pool thread.
        new Thread(WriteLoop) { IsBackground = true, Name = "job-group-commit" }.Start();
    }

    /// <summary>
    /// Queues <paramref name="job"/> and completes once it is committed (with its number assigned). The wait
    /// cannot be cancelled: the job may already be in the batch being committed, and a commit takes
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

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
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

        _stopped.TrySetResult();
    }

    // Blocks this thread (it has nothing else to do) until a create is queued; false once shut down.
    private static bool WaitForWork(ChannelReader<PendingCreate> reader)
    {
        var ready = reader.WaitToReadAsync();
        return ready.IsCompleted ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }

    private void Flush(List<PendingCreate> batch)
    {
        try
        {
            _inserter.Insert(batch.ConvertAll(p => p.Job));
            batch.ForEach(p => p.Committed.TrySetResult());
            _signal.Pulse(batch.Select(p => p.Job.Type).Distinct(StringComparer.Ordinal));
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            // One bad row must not fail its neighbours: commit them one by one to find it.
            LogBatchFailed(_logger, ex, batch.Count);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} creates failed to commit; committing them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed class PendingCreate(Job job)
    {
        public Job Job { get; } = job;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Inserts a batch of new jobs in one transaction and assigns their numbers.</summary>
internal interface IJobBatchInserter
{
    /// <summary>Called by the group-commit thread only; blocks until the batch is committed.</summary>
    void Insert(IReadOnlyList<Job> jobs);
}

/// <summary>The batch insert through EF (PostgreSQL: one round trip of batched INSERTs).</summary>
internal sealed class EfJobBatchInserter(IServiceScopeFactory scopes) : IJobBatchInserter
{
    public void Insert(IReadOnlyList<Job> jobs)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        db.Jobs.AddRange(jobs);
        try
        {
            // The context saves asynchronously only (that is where its outbox is written); blocking here is
            // fine, this is the group-commit thread and it has nothing else to do.
            db.SaveChangesAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
