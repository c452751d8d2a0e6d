using JobGateway.Core.AccountTasks;
using JobGateway.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Stores;

internal sealed class EfAccountTaskScheduleStore(GatewayDbContext db) : IAccountTaskScheduleStore
{
    public async Task<IReadOnlyList<AccountTask>> ListEnabledAsync(CancellationToken cancellationToken) =>
        await db.AccountTasks.AsNoTracking().Where(t => t.Enabled).OrderBy(t => t.DateCreated).ToListAsync(cancellationToken);

    public async Task<bool> TryUpdateAsync(Guid clientId, Guid taskId, Func<AccountTask, bool> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        db.ChangeTracker.Clear();
        var task = await db.AccountTasks.FirstOrDefaultAsync(t => t.Id == taskId && t.ClientId == clientId, cancellationToken);
        if (task is null || !change(task))
        {
            return false;
        }

        try
        {
            // The UPDATE carries the version the task was read with: a second scheduler loses here.
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    // The task's own store already loads, applies a domain method and saves under the version token, retrying
    // on a concurrent change; RecordRunStatus ignores a job that is no longer the task's last run.
    public async Task RecordRunStatusAsync(Guid clientId, Guid taskId, Guid jobId, JobStatus status, CancellationToken cancellationToken) =>
        await new EfAccountTaskStore(db).UpdateAsync(clientId, taskId, t => t.RecordRunStatus(jobId, status), cancellationToken);
}
