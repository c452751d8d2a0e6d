using System.Threading.Channels;
using JobGateway.Core.Jobs;
using JobGateway.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobGateway.Persistence.Stores;

/// <summary>
/// Group commit for changes to existing jobs: completions, failures, retries, heartbeats, cancellations. Callers
/// queue a change (a domain method of <see cref="Job"/>) and wait; one writer takes everything queued, loads those
/// jobs in one query, applies each change in queue order and saves them, with their outbox rows, in one
/// transaction. A caller learns its outcome only after that commit. A job another writer changed meanwhile (its
/// concurrency token moved) is reloaded and its changes re-applied alone, as a single update always was.
/// </summary>
internal sealed partial class JobUpdateWriter(IServiceScopeFactory scopes, GatewayTelemetry telemetry, ILogger<JobUpdateWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    // A concurrent writer can only win a handful of times in a row; past that something is wrong.
    private const int MaxConcurrencyRetries = 8;

    private readonly Channel<PendingUpdate> _queue = Channel.CreateUnbounded<PendingUpdate>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Queues <paramref name="change"/> to the job <paramref name="id"/> (of <paramref name="clientId"/>, or of any
    /// client when null) and completes once it is committed: with the job as saved, null when there is no such job,
    /// or the exception the change threw (a domain rule). The wait cannot be cancelled: the change may already be
    /// in the batch being committed.
    /// </summary>
    public Task<Job?> UpdateAsync(Guid? clientId, Guid id, Action<Job> change)
    {
        var pending = new PendingUpdate(clientId, id, change);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The gateway is shutting down.");
        }

        return pending.Done.Task;
    }

    /// <summary>The writer runs on a thread of its own (see <see cref="JobWriteBatcher"/>); at shutdown it commits what is queued.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        stoppingToken.Register(() => _queue.Writer.TryComplete());
        return Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void WriteLoop()
    {
        var batch = new List<PendingUpdate>(MaxBatch);
        var reader = _queue.Reader;
        while (WaitForWork(reader))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                Flush(batch);
            }
            catch (Exception ex)
            {
                LogBatchFailed(logger, ex, batch.Count);
                batch.ForEach(u => u.Done.TrySetException(ex));
            }

            batch.Clear();
        }
    }

    private static bool WaitForWork(ChannelReader<PendingUpdate> reader)
    {
        var ready = reader.WaitToReadAsync();
        return ready.IsCompleted ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }

    private void Flush(List<PendingUpdate> batch)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var ids = batch.Select(u => u.Id).Distinct().ToArray();
        var jobs = db.Jobs.Where(j => ids.Contains(j.Id)).ToDictionary(j => j.Id);
        foreach (var update in batch)
        {
            Apply(update, jobs.GetValueOrDefault(update.Id));
        }

        try
        {
            // The context saves asynchronously only (that is where its outbox is written); this thread has nothing
            // else to do while it waits.
            db.SaveChangesAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (DbUpdateException failure) when (!DatabaseFailures.FailsEveryWrite(failure))
        {
            // Another writer (another instance, a claim) changed some of these jobs since they were read, or one change
            // was refused: apply each change again, one at a time, to the row as it is now, so that one refusal does
            // not fail its neighbours. (A database that is down or full fails the whole batch at once, in the loop.)
            db.ChangeTracker.Clear();
            foreach (var update in batch)
            {
                update.Reset();
                try
                {
                    ApplyAlone(db, update);
                }
                catch (DbUpdateException ex)
                {
                    update.Error = ex;
                }
            }

            Complete(batch);
            return;
        }

        db.ChangeTracker.Clear();
        Complete(batch);
    }

    // Applies the update to its loaded job; a job of another client reads as absent.
    private static void Apply(PendingUpdate update, Job? job)
    {
        if (job is null || (update.ClientId is { } client && job.ClientId != client))
        {
            return;
        }

        update.Before = (job.Status, job.Attempts);
        try
        {
            update.Change(job);
            update.Job = job;
        }
        catch (Exception ex)
        {
            update.Error = ex;
        }
    }

    private static void ApplyAlone(GatewayDbContext db, PendingUpdate update)
    {
        for (var attempt = 0; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var job = db.Jobs.FirstOrDefault(j => j.Id == update.Id);
            Apply(update, job);
            if (update.Job is null)
            {
                return;
            }

            try
            {
                db.SaveChangesAsync(CancellationToken.None).GetAwaiter().GetResult();
                db.ChangeTracker.Clear();
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                update.Reset();
            }
        }
    }

    private void Complete(List<PendingUpdate> batch)
    {
        foreach (var update in batch)
        {
            if (update.Error is { } error)
            {
                update.Done.TrySetException(error);
                continue;
            }

            if (update.Job is { } job)
            {
                telemetry.JobChanged(job, update.Before.Status, update.Before.Attempts);
            }

            update.Done.TrySetResult(update.Job);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} job updates failed to commit")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed class PendingUpdate(Guid? clientId, Guid id, Action<Job> change)
    {
        public Guid? ClientId { get; } = clientId;

        public Guid Id { get; } = id;

        public Action<Job> Change { get; } = change;

        public TaskCompletionSource<Job?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Job? Job { get; set; }

        public Exception? Error { get; set; }

        public (JobStatus Status, int Attempts) Before { get; set; }

        public void Reset()
        {
            Job = null;
            Error = null;
        }
    }
}
