using System.Collections.Concurrent;
using System.Threading.Channels;
using JobGateway.Core;
using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using JobGateway.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobGateway.Execution.Workers;

/// <summary>
/// Runs jobs of in-process types. A feeder claims ready jobs in batches (one transaction for many) into a small
/// local queue, and a number of slots take them from it, so an idle slot never waits on a database round trip while
/// ready jobs exist. Each slot runs its job's handler in a DI scope while renewing the lease, and records the
/// outcome through Core (committed by the store's update writer together with the other slots' outcomes). An idle
/// feeder sleeps until a new job of its types wakes it (or, as a safety net, the idle poll interval passes).
/// The instance holds the leases of the jobs it has claimed: queued jobs are Running, leased to it, and a slot
/// renews a queued job's lease before it starts it when half of it has passed. At shutdown the jobs still queued
/// go back to Pending at once, without counting an attempt; after a crash their leases run out and the lease
/// sweeper puts them back.
/// </summary>
internal sealed partial class InProcessWorker(
    IServiceScopeFactory scopes,
    IJobSignal signal,
    JobTypePolicies policies,
    IOptions<ExecutionOptions> options,
    TimeProvider time,
    GatewayTelemetry telemetry,
    WorkerDirectory directory,
    ILogger<InProcessWorker> logger) : BackgroundService
{
    private readonly ExecutionOptions _options = options.Value;

    // The lease owner of every job this instance claims; the slots are named after it.
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    // The outcomes of finished jobs on their way to the store: at most a local queue's worth, so that slots wait when
    // the store falls behind.
    private readonly OutcomeRecordings _recordings = new(options.Value.LocalQueue, logger);

    private TimeSpan Lease => TimeSpan.FromSeconds(_options.LeaseSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.RunBackgroundServices || _options.Slots == 0 || policies.InProcessTypes.Count == 0)
        {
            return;
        }

        var queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(_options.LocalQueue) { SingleWriter = true });
        var slots = Enumerable.Range(0, _options.Slots).Select(slot => SlotLoopAsync($"{_instance}:{slot}", queue.Reader, stoppingToken)).ToList();
        try
        {
            await FeedAsync(queue, stoppingToken);
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(slots);
            await _recordings.WhenAllAsync();
            await ReleaseQueuedAsync(queue.Reader);
        }
    }

    /// <summary>Claims and runs at most one job; false when none was ready. Tests step the worker with it.</summary>
    public async Task<bool> RunOnceAsync(string workerId, CancellationToken stoppingToken)
    {
        var types = policies.InProcessTypes;
        if (types.Count == 0)
        {
            return false;
        }

        IReadOnlyList<Job> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            claimed = await scope.ServiceProvider.GetRequiredService<JobLifecycle>().ClaimAsync(workerId, types, 1, Lease, null, stoppingToken);
        }

        if (claimed.Count == 0)
        {
            return false;
        }

        await await RunQueuedAsync(workerId, workerId, claimed[0], stoppingToken);
        return true;
    }

    // Keeps the local queue topped up: claims as many ready jobs as it has room for, in one claim.
    private async Task FeedAsync(Channel<Job> queue, CancellationToken stoppingToken)
    {
        var types = policies.InProcessTypes;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await queue.Writer.WaitToWriteAsync(stoppingToken))
                {
                    return;
                }

                // Take the wake-up before looking, so a job created while we look is not slept through. Only jobs
                // of our types wake us: creates of externally run types never send the feeder looking.
                var wake = signal.WaitAsync(types, stoppingToken);
                IReadOnlyList<Job> claimed;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var room = _options.LocalQueue - queue.Reader.Count;
                    claimed = await scope.ServiceProvider.GetRequiredService<JobLifecycle>().ClaimAsync(_instance, types, room, Lease, null, stoppingToken);
                }

                foreach (var job in claimed)
                {
                    queue.Writer.TryWrite(job);
                }

                if (claimed.Count == 0)
                {
                    // WhenAny never throws: a cancelled wait simply ends the sleep and the loop condition stops us.
                    await Task.WhenAny(wake, Task.Delay(TimeSpan.FromSeconds(_options.IdlePollSeconds), time, stoppingToken));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFeedFailed(logger, ex);
                await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken));
            }
        }
    }

    private async Task SlotLoopAsync(string slotId, ChannelReader<Job> queue, CancellationToken stoppingToken)
    {
        directory.SlotIdle(slotId);
        try
        {
            while (true)
            {
                Job job;
                try
                {
                    job = await queue.ReadAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
                {
                    return;
                }

                try
                {
                    await _recordings.TrackAsync(await RunQueuedAsync(slotId, _instance, job, stoppingToken));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSlotFailed(logger, ex, slotId);
                }
            }
        }
        finally
        {
            directory.SlotStopped(slotId);
        }
    }

    /// <summary>
    /// Runs a claimed job on slot <paramref name="slotId"/> (its lease held by <paramref name="leaseOwner"/>) and
    /// returns once its handler has finished, with the recording of its outcome under way: the update writer commits
    /// it together with the other slots' outcomes, and the slot takes its next job meanwhile. What follows an outcome
    /// (the log line, the signal for a retry) happens after its commit.
    /// </summary>
    private async Task<Task> RunQueuedAsync(string slotId, string leaseOwner, Job job, CancellationToken stoppingToken)
    {
        var scope = scopes.CreateAsyncScope();
        Task recording = Task.CompletedTask;
        try
        {
            var lifecycle = scope.ServiceProvider.GetRequiredService<JobLifecycle>();
            if (!await StillOursAsync(job, leaseOwner, lifecycle, stoppingToken))
            {
                return recording;
            }

            var handler = scope.ServiceProvider.GetServices<IJobHandler>().First(h => h.Type == job.Type);
            directory.SlotBusy(slotId, job, time.GetUtcNow());
            try
            {
                recording = await RunAsync(job, handler, leaseOwner, lifecycle, stoppingToken);
            }
            finally
            {
                directory.SlotIdle(slotId);
            }

            return recording;
        }
        finally
        {
            _ = recording.ContinueWith(static (_, s) => ((AsyncServiceScope)s!).DisposeAsync(), scope, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    // A job that waited in the local queue for half its lease gets it renewed first; one that is no longer ours is left.
    private async Task<bool> StillOursAsync(Job job, string leaseOwner, JobLifecycle lifecycle, CancellationToken stoppingToken)
    {
        if (job.LeaseExpiresAt is not { } expires || time.GetUtcNow() < expires - (Lease / 2))
        {
            return true;
        }

        try
        {
            return await lifecycle.HeartbeatAsync(null, job.Id, leaseOwner, null, Lease, stoppingToken) is not null;
        }
        catch (DomainException)
        {
            LogLeaseLost(logger, job.Id, leaseOwner);
            return false;
        }
    }

    // The jobs claimed but never started go back to Pending at once, without counting an attempt: all queued
    // together, so the update writer commits them in one transaction.
    private async Task ReleaseQueuedAsync(ChannelReader<Job> queue)
    {
        var releases = new List<Task>();
        while (queue.TryRead(out var job))
        {
            releases.Add(ReleaseAsync(job));
        }

        await Task.WhenAll(releases);
    }

    private async Task ReleaseAsync(Job job)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<JobLifecycle>().ReleaseAsync(job.Id, _instance, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Its lease runs out and the lease sweeper puts it back.
            LogReleaseFailed(logger, ex, job.Id);
        }
    }

    // Runs the handler while renewing the lease; returns the recording of the outcome (not awaited here).
    private async Task<Task> RunAsync(Job job, IJobHandler handler, string workerId, JobLifecycle lifecycle, CancellationToken stoppingToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var cancelRequested = false;
        var leaseLost = false;
        using var beat = new SemaphoreSlim(1, 1);

        // Heartbeats go through their own scope: the handler may be using the run's DbContext meanwhile.
        async Task HeartbeatAsync(int? progress, CancellationToken ct)
        {
            await beat.WaitAsync(ct);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var beats = scope.ServiceProvider.GetRequiredService<JobLifecycle>();
                var current = await beats.HeartbeatAsync(null, job.Id, workerId, progress, Lease, ct);
                if (current?.CancellationRequested == true)
                {
                    cancelRequested = true;
                    await run.CancelAsync();
                }
            }
            catch (DomainException)
            {
                // Someone else owns the job now (our lease expired): stop, and record nothing.
                leaseLost = true;
                await run.CancelAsync();
            }
            finally
            {
                beat.Release();
            }
        }

        using var activity = telemetry.StartRun(job, workerId, "in-process");
        var renewal = RenewLeaseAsync(HeartbeatAsync, run.Token);
        try
        {
            var report = await handler.HandleAsync(new JobExecutionContext(job, (p, ct) => HeartbeatAsync(p, ct)), run.Token);
            await run.CancelAsync();
            return Then(lifecycle.CompleteAsync(null, job.Id, workerId, report, CancellationToken.None), () => LogSucceeded(logger, job.Id, job.Type));
        }
        catch (OperationCanceledException) when (leaseLost)
        {
            LogLeaseLost(logger, job.Id, workerId);
            return Task.CompletedTask;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return lifecycle.ReleaseAsync(job.Id, workerId, CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancelRequested)
        {
            return lifecycle.ConfirmCancelledAsync(null, job.Id, workerId, CancellationToken.None);
        }
        catch (PermanentJobFailureException ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            return lifecycle.FailAsync(null, job.Id, workerId, new JobError(ex.Code, ex.Message), retry: false, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            LogHandlerFailed(logger, ex, job.Id, job.Type);
            return lifecycle.FailAsync(null, job.Id, workerId, new JobError("handler_error", $"{ex.GetType().Name}: {ex.Message}"), retry: true, CancellationToken.None);
        }
        finally
        {
            await run.CancelAsync();
            await renewal;
        }
    }

    private static async Task Then(Task recording, Action after)
    {
        await recording;
        after();
    }

    private async Task RenewLeaseAsync(Func<int?, CancellationToken, Task> heartbeat, CancellationToken token)
    {
        var every = Lease / 3;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, token);
                await heartbeat(null, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRenewFailed(logger, ex);
            }
        }
    }

    public override void Dispose()
    {
        _recordings.Dispose();
        base.Dispose();
    }

    private sealed partial class OutcomeRecordings(int max, ILogger logger) : IDisposable
    {
        private readonly SemaphoreSlim _room = new(max, max);
        private readonly ConcurrentDictionary<Task, byte> _pending = new();

        public async Task TrackAsync(Task recording)
        {
            await _room.WaitAsync(CancellationToken.None);
            _pending[recording] = 0;
            _ = ObserveAsync(recording);
        }

        public void Dispose() => _room.Dispose();

        // Each failure was logged where it was observed.
        public Task WhenAllAsync() => Task.WhenAll(_pending.Keys).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        private async Task ObserveAsync(Task recording)
        {
            try
            {
                await recording;
            }
            catch (Exception ex)
            {
                // Not recorded: the job stays Running under our lease, which runs out, and the lease sweeper takes it back.
                LogRecordingFailed(logger, ex);
            }
            finally
            {
                _pending.TryRemove(recording, out _);
                _room.Release();
            }
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Recording the outcome of a job failed; its lease will run out")]
        private static partial void LogRecordingFailed(ILogger logger, Exception exception);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker slot {WorkerId} failed a round")]
    private static partial void LogSlotFailed(ILogger logger, Exception exception, string workerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming jobs for the local queue failed; trying again in a second")]
    private static partial void LogFeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} could not be handed back at shutdown; its lease will run out")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} of type {JobType} succeeded")]
    private static partial void LogSucceeded(ILogger logger, Guid jobId, string jobType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} of type {JobType}: the handler failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, Guid jobId, string jobType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} lost its lease on job {JobId}; its outcome is discarded")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId, string workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing a lease failed; will try again")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
