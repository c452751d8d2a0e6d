using JobGateway.Core.AccountTasks;
using JobGateway.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobGateway.Execution.Scheduling;

/// <summary>
/// Turns enabled recurring account tasks into <c>account-task</c> jobs, one per due occurrence.
/// Each occurrence fires at most once, across restarts and instances: its job carries the idempotency key
/// <c>account-task:{taskId}:{occurrence ticks}</c> (see <see cref="AccountTask.NewRun"/>), so a second attempt (another instance, or a crash
/// between creating the job and recording it on the task) returns the same job instead of a new one, and
/// the task's <c>LastOccurrence</c> is saved under its concurrency token. After downtime only the latest
/// missed occurrence fires (see <see cref="TaskSchedule"/>).
/// </summary>
public sealed partial class AccountTaskScheduler(IServiceScopeFactory scopes, IOptions<ExecutionOptions> options, TimeProvider time, ILogger<AccountTaskScheduler> logger) : BackgroundService
{
    public const string RunBy = "scheduler";

    /// <summary>One round: fires every due occurrence; returns how many jobs it created or found.</summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var tasks = scope.ServiceProvider.GetRequiredService<IAccountTaskScheduleStore>();
        var jobs = scope.ServiceProvider.GetRequiredService<IJobStore>();
        var now = time.GetUtcNow();
        var fired = 0;
        foreach (var task in await tasks.ListEnabledAsync(cancellationToken))
        {
            if (task.DueOccurrence(now) is not { } occurrence)
            {
                continue;
            }

            var created = await jobs.CreateAsync(task.NewRun(occurrence), cancellationToken);
            if (created.Job is null)
            {
                // The key was used with other parameters (the task changed between a crash and now): the
                // occurrence did fire, so it is recorded without pointing at a run.
                LogOccurrenceConflict(logger, task.Id, occurrence);
            }

            var recorded = await tasks.TryUpdateAsync(task.ClientId, task.Id, current =>
            {
                // Another instance may have recorded this occurrence since we listed the task.
                if (current.DueOccurrence(now) != occurrence)
                {
                    return false;
                }

                if (created.Job is null)
                {
                    current.SkipOccurrence(occurrence);
                }
                else
                {
                    current.RecordScheduledRun(created.Job.Id, occurrence, now);
                }

                return true;
            }, cancellationToken);
            if (recorded)
            {
                fired++;
                LogFired(logger, task.Id, occurrence, created.Job?.Id);
            }
        }

        return fired;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RunBackgroundServices
            ? PeriodicWork.RunAsync(nameof(AccountTaskScheduler), TimeSpan.FromSeconds(options.Value.SchedulerSeconds), time, logger, TickAsync, stoppingToken)
            : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Account task {TaskId} fired its occurrence {Occurrence:O} as job {JobId}")]
    private static partial void LogFired(ILogger logger, Guid taskId, DateTimeOffset occurrence, Guid? jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account task {TaskId}: occurrence {Occurrence:O} fired before with other parameters")]
    private static partial void LogOccurrenceConflict(ILogger logger, Guid taskId, DateTimeOffset occurrence);
}
