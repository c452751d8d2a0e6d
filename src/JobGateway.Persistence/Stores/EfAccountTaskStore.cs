using JobGateway.Core.AccountTasks;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Stores;

/// <summary>The client-scoped account task store on EF Core, provider-neutral.</summary>
internal sealed class EfAccountTaskStore(GatewayDbContext db) : IAccountTaskStore
{
    private const int MaxConcurrencyRetries = 8;

    public async Task AddAsync(AccountTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (await TaskIdTakenAsync(task.ClientId, task.TaskId, task.Id, cancellationToken))
        {
            throw new DuplicateTaskIdException(task.TaskId);
        }

        db.AccountTasks.Add(task);
        await SaveAsync(task, cancellationToken);
    }

    public Task<AccountTask?> GetAsync(Guid clientId, Guid id, CancellationToken cancellationToken) =>
        db.AccountTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.ClientId == clientId, cancellationToken);

    public async Task<IReadOnlyList<AccountTask>> ListAsync(Guid clientId, int offset, int limit, CancellationToken cancellationToken) =>
        await db.AccountTasks.AsNoTracking()
            .Where(t => t.ClientId == clientId)
            .OrderBy(t => t.DateCreated)
            .ThenBy(t => t.Id)
            .Skip(Math.Max(offset, 0))
            .Take(Math.Max(limit, 1))
            .ToListAsync(cancellationToken);

    public async Task<AccountTask?> UpdateAsync(Guid clientId, Guid id, Action<AccountTask> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var task = await db.AccountTasks.FirstOrDefaultAsync(t => t.Id == id && t.ClientId == clientId, cancellationToken);
            if (task is null)
            {
                return null;
            }

            var taskId = task.TaskId;
            change(task);
            if (task.TaskId != taskId && await TaskIdTakenAsync(clientId, task.TaskId, task.Id, cancellationToken))
            {
                db.ChangeTracker.Clear();
                throw new DuplicateTaskIdException(task.TaskId);
            }

            try
            {
                // The UPDATE carries "WHERE Version = @loaded": it changes nothing if another writer got there first.
                await SaveAsync(task, cancellationToken);
                return task;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // Reload and re-apply the domain method to the fresh state.
            }
        }
    }

    public async Task<bool> DeleteAsync(Guid clientId, Guid id, CancellationToken cancellationToken)
    {
        // One conditional DELETE: a concurrent update cannot resurrect the row, and nothing is read first.
        var deleted = await db.AccountTasks.Where(t => t.Id == id && t.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
        return deleted > 0;
    }

    private Task<bool> TaskIdTakenAsync(Guid clientId, Guid taskId, Guid exceptId, CancellationToken cancellationToken) =>
        db.AccountTasks.AnyAsync(t => t.ClientId == clientId && t.TaskId == taskId && t.Id != exceptId, cancellationToken);

    private async Task SaveAsync(AccountTask task, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            // The unique (ClientId, TaskId) index refused a TaskID that another request took between our check
            // and our write. Provider error codes differ, so look again instead of parsing them.
            db.ChangeTracker.Clear();
            if (await TaskIdTakenAsync(task.ClientId, task.TaskId, task.Id, cancellationToken))
            {
                throw new DuplicateTaskIdException(task.TaskId);
            }

            throw;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
