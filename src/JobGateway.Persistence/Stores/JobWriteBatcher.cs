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
    private readonly Task _writer;

    public JobWriteBatcher(IJobBatchInserter inserter, IJobSignal signal, ILogger<JobWriteBatcher> logger)
    {
        _inserter = inserter;
        _signal = signal;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues <paramref name="job"/> and completes once it is committed (with its number assigned).</summary>
    public Task WriteAsync(Job job, CancellationToken cancellationToken)
    {
        var pending = new PendingCreate(job);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The gateway is shutting down.");
        }

        // A client that gives up does not cancel the write: the job may already be in the batch being committed.
        return pending.Committed.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingCreate>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await FlushAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task FlushAsync(List<PendingCreate> batch)
    {
        try
        {
            await SaveAsync(batch).ConfigureAwait(false);
            batch.ForEach(p => p.Committed.TrySetResult());
            _signal.Pulse(batch.Select(p => p.Job.Type).Distinct(StringComparer.Ordinal));
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            // One bad row must not fail its neighbours: commit them one by one to find it.
            LogBatchFailed(_logger, ex, batch.Count);
            foreach (var pending in batch)
            {
                await FlushAsync([pending]).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            batch[0].Committed.TrySetException(ex);
        }
    }

    private Task SaveAsync(List<PendingCreate> batch) => _inserter.InsertAsync(batch.ConvertAll(p => p.Job));

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
    Task InsertAsync(IReadOnlyList<Job> jobs);
}

/// <summary>The batch insert through EF (PostgreSQL: one round trip of batched INSERTs).</summary>
internal sealed class EfJobBatchInserter(IServiceScopeFactory scopes) : IJobBatchInserter
{
    public async Task InsertAsync(IReadOnlyList<Job> jobs)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        db.Jobs.AddRange(jobs);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
