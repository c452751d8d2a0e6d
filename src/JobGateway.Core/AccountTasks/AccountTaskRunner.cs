using JobGateway.Core.Jobs;

namespace JobGateway.Core.AccountTasks;

/// <summary>"Run now": a run of an account task started by hand, the same way on every surface that offers it.</summary>
public sealed class AccountTaskRunner(IAccountTaskStore tasks, IJobStore jobs, TimeProvider time)
{
    /// <summary>
    /// Creates a run of the client's task at once (a disabled task runs too) and records it on the task as run by
    /// <paramref name="runBy"/>. Null when the client has no such task. Two writes, not one transaction: when the
    /// task is deleted in between, the run still happens (its job is returned) and <see cref="AccountTaskRun.Task"/>
    /// is null.
    /// </summary>
    public async Task<AccountTaskRun?> RunNowAsync(Guid clientId, Guid taskId, string runBy, JobSurface surface, CancellationToken cancellationToken)
    {
        var task = await tasks.GetAsync(clientId, taskId, cancellationToken);
        if (task is null)
        {
            return null;
        }

        var created = await jobs.CreateAsync(task.NewRun(occurrence: null) with { Surface = surface }, cancellationToken);
        var job = created.Job ?? throw new InvalidOperationException($"The store did not create a run of task {taskId} ({created.Outcome}).");
        var recorded = await tasks.UpdateAsync(clientId, task.Id, t => t.RecordRun(job.Id, runBy, time.GetUtcNow()), cancellationToken);
        return new AccountTaskRun(recorded, job);
    }
}

/// <summary>A run started by hand.</summary>
/// <param name="Task">The task with the run recorded, or null when it was deleted meanwhile.</param>
/// <param name="Job">The run's job.</param>
public sealed record AccountTaskRun(AccountTask? Task, Job Job);
