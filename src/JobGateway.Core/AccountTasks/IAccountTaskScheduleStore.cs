using JobGateway.Core.Jobs;

namespace JobGateway.Core.AccountTasks;

/// <summary>Account tasks as the scheduler sees them: across every tenant.</summary>
public interface IAccountTaskScheduleStore
{
    /// <summary>Every enabled task.</summary>
    Task<IReadOnlyList<AccountTask>> ListEnabledAsync(CancellationToken cancellationToken);

    /// <summary>Saves a task the scheduler changed; false when someone else changed it first.</summary>
    Task<bool> TrySaveAsync(AccountTask task, CancellationToken cancellationToken);

    /// <summary>Records the status of a task's run, if it is still the task's last run.</summary>
    Task RecordRunStatusAsync(Guid clientId, Guid taskId, Guid jobId, JobStatus status, CancellationToken cancellationToken);
}
