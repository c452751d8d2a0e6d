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
/// Runs jobs of in-process types: a number of slots, each a small loop that claims one job with a lease,
/// runs its handler in a DI scope while renewing the lease, and records the outcome through Core. An idle
/// slot sleeps until a new job wakes it (or, as a safety net, the idle poll interval passes).
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
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    private TimeSpan Lease => TimeSpan.FromSeconds(_options.LeaseSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.RunBackgroundServices || _options.Slots == 0 || policies.InProcessTypes.Count == 0)
        {
            return;
        }

        await Task.WhenAll(Enumerable.Range(0, _options.Slots).Select(slot => SlotLoopAsync($"{_instance}:{slot}", stoppingToken)));
    }

    /// <summary>Claims and runs at most one job; false when none was ready. The loops call it; tests may too.</summary>
    public async Task<bool> RunOnceAsync(string workerId, CancellationToken stoppingToken)
    {
        var types = policies.InProcessTypes;
        if (types.Count == 0)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();

        var lifecycle = scope.ServiceProvider.GetRequiredService<JobLifecycle>();
        var claimed = await lifecycle.ClaimAsync(workerId, types, 1, Lease, null, stoppingToken);
        if (claimed.Count == 0)
        {
            return false;
        }

        var handler = scope.ServiceProvider.GetServices<IJobHandler>().First(h => h.Type == claimed[0].Type);
        directory.SlotBusy(workerId, claimed[0], time.GetUtcNow());
        try
        {
            await RunAsync(claimed[0], handler, workerId, lifecycle, stoppingToken);
        }
        finally
        {
            directory.SlotIdle(workerId);
        }

        return true;
    }

    private async Task SlotLoopAsync(string workerId, CancellationToken stoppingToken)
    {
        directory.SlotIdle(workerId);
        try
        {
            await RunSlotAsync(workerId, stoppingToken);
        }
        finally
        {
            directory.SlotStopped(workerId);
        }
    }

    private async Task RunSlotAsync(string workerId, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Take the wake-up before looking, so a job created while we look is not slept through. Only
            // jobs of our types wake us: creates of externally run types never send the slots looking.
            var wake = signal.WaitAsync(policies.InProcessTypes, stoppingToken);
            bool worked;
            try
            {
                worked = await RunOnceAsync(workerId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSlotFailed(logger, ex, workerId);
                worked = false;
            }

            if (!worked)
            {
                // WhenAny never throws: a cancelled wait simply ends the sleep and the loop condition stops us.
                await Task.WhenAny(wake, Task.Delay(TimeSpan.FromSeconds(_options.IdlePollSeconds), time, stoppingToken));
            }
        }
    }

    private async Task RunAsync(Job job, IJobHandler handler, string workerId, JobLifecycle lifecycle, CancellationToken stoppingToken)
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
            await lifecycle.CompleteAsync(null, job.Id, workerId, report, CancellationToken.None);
            LogSucceeded(logger, job.Id, job.Type);
        }
        catch (OperationCanceledException) when (leaseLost)
        {
            LogLeaseLost(logger, job.Id, workerId);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await lifecycle.ReleaseAsync(job.Id, workerId, CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancelRequested)
        {
            await lifecycle.ConfirmCancelledAsync(null, job.Id, workerId, CancellationToken.None);
        }
        catch (PermanentJobFailureException ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            await lifecycle.FailAsync(null, job.Id, workerId, new JobError(ex.Code, ex.Message), retry: false, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            LogHandlerFailed(logger, ex, job.Id, job.Type);
            await lifecycle.FailAsync(null, job.Id, workerId, new JobError("handler_error", $"{ex.GetType().Name}: {ex.Message}"), retry: true, CancellationToken.None);
        }
        finally
        {
            await run.CancelAsync();
            await renewal;
        }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker slot {WorkerId} failed a round")]
    private static partial void LogSlotFailed(ILogger logger, Exception exception, string workerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} of type {JobType} succeeded")]
    private static partial void LogSucceeded(ILogger logger, Guid jobId, string jobType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} of type {JobType}: the handler failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, Guid jobId, string jobType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} lost its lease on job {JobId}; its outcome is discarded")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId, string workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing a lease failed; will try again")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
