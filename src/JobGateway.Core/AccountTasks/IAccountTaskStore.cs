namespace JobGateway.Core.AccountTasks;

/// <summary>
/// Account tasks as their owner sees them: every read and write is scoped to one client, and another
/// client's task reads exactly like a task that does not exist. (The scheduler's cross-tenant view is
/// <see cref="IAccountTaskScheduleStore"/>.)
/// </summary>
public interface IAccountTaskStore
{
    /// <summary>Stores a new task. Throws <see cref="DuplicateTaskIdException"/> when the client already has its TaskID.</summary>
    Task AddAsync(AccountTask task, CancellationToken cancellationToken);

    /// <summary>The client's task with this id, or null (also for other clients' tasks).</summary>
    Task<AccountTask?> GetAsync(Guid clientId, Guid id, CancellationToken cancellationToken);

    /// <summary>One page of the client's tasks, oldest first.</summary>
    Task<IReadOnlyList<AccountTask>> ListAsync(Guid clientId, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Loads the client's task, applies <paramref name="change"/> (a domain method) and saves it under the
    /// task's concurrency token, retrying on a concurrent change. Null when the task is not found. Throws
    /// <see cref="DuplicateTaskIdException"/> when the change gives it a TaskID the client already uses.
    /// </summary>
    Task<AccountTask?> UpdateAsync(Guid clientId, Guid id, Action<AccountTask> change, CancellationToken cancellationToken);

    /// <summary>Deletes the client's task (its past runs stay as jobs). False when not found.</summary>
    Task<bool> DeleteAsync(Guid clientId, Guid id, CancellationToken cancellationToken);
}

/// <summary>A client registered two tasks with the same TaskID.</summary>
public sealed class DuplicateTaskIdException(Guid taskId)
    : DomainException("task_exists", $"A task with TaskID {taskId} exists already.")
{
    /// <summary>The TaskID in use.</summary>
    public Guid TaskId { get; } = taskId;
}
