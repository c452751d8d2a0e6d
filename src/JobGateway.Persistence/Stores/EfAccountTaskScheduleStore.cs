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

    public async Task RecordRunStatusAsync(Guid clientId, Guid taskId, Guid jobId, JobStatus status, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            db.ChangeTracker.Clear();
            var task = await db.AccountTasks.FirstOrDefaultAsync(t => t.Id == taskId && t.ClientId == clientId, cancellationToken);
            if (task is null || task.LastJobId != jobId)
            {
                return;
            }

            task.RecordRunStatus(jobId, status);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Changed meanwhile (perhaps a newer run started): look again.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
