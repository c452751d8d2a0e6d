using JobGateway.Core.AccountTasks;
using JobGateway.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Stores;

internal sealed class EfNotificationStore(GatewayDbContext db) : INotificationStore
{
    public async Task<IReadOnlyList<JobEvent>> ListDueAsync(DateTimeOffset now, int max, IReadOnlyCollection<Guid> skipClients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skipClients);
        var due = db.JobEvents.AsNoTracking().Where(e => e.State == DeliveryState.Pending && e.NextAttemptAt <= now);
        if (skipClients.Count > 0)
        {
            due = due.Where(e => !skipClients.Contains(e.ClientId));
        }

        return await due.OrderBy(e => e.Id).Take(max).ToListAsync(cancellationToken);
    }

    public async Task<WebhookTarget?> GetTargetAsync(JobEvent jobEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == jobEvent.ClientId, cancellationToken);
        if (client?.WebhookUrl is null || client.WebhookSecret is null)
        {
            return null;
        }

        // A run of an account task follows the task's own preference (its ExternalRef is the task's id).
        if (jobEvent.JobType == AccountTask.JobType && Guid.TryParse(jobEvent.ExternalRef, out var taskId))
        {
            var task = await db.AccountTasks.AsNoTracking()
                .FirstOrDefaultAsync(t => t.Id == taskId && t.ClientId == jobEvent.ClientId, cancellationToken);
            if (task is not null)
            {
                return new WebhookTarget(client.WebhookUrl, client.WebhookSecret, task.Notification, task.Id);
            }
        }

        return new WebhookTarget(client.WebhookUrl, client.WebhookSecret, client.WebhookNotification, null);
    }

    public async Task SaveAsync(JobEvent jobEvent, CancellationToken cancellationToken)
    {
        db.JobEvents.Update(jobEvent);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
