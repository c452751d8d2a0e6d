using JobGateway.Core.Jobs;

namespace JobGateway.Core.AccountTasks;

/// <summary>Account tasks as the scheduler sees them: across every tenant.</summary>
public interface IAccountTaskScheduleStore
{
    /// <summary>Every enabled task.</summary>
    Task<IReadOnlyList<AccountTask>> ListEnabledAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Loads the task, applies <paramref name="change"/> (false: nothing to do) and saves it under the
    /// version it was loaded with. False when the change declined or someone else changed the task first.
    /// </summary>
    Task<bool> TryUpdateAsync(Guid clientId, Guid taskId, Func<AccountTask, bool> change, CancellationToken cancellationToken);

    /// <summary>Records the status of a task's run, if it is still the task's last run.</summary>
    Task RecordRunStatusAsync(Guid clientId, Guid taskId, Guid jobId, JobStatus status, CancellationToken cancellationToken);
}
