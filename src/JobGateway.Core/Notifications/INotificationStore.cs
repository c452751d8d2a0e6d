using JobGateway.Core.AccountTasks;

namespace JobGateway.Core.Notifications;

/// <summary>The outbox, as the webhook dispatcher sees it.</summary>
public interface INotificationStore
{
    /// <summary>Pending events whose next attempt is due, oldest first, leaving out the clients in <paramref name="skipClients"/>.</summary>
    Task<IReadOnlyList<JobEvent>> ListDueAsync(DateTimeOffset now, int max, IReadOnlyCollection<Guid> skipClients, CancellationToken cancellationToken);

    /// <summary>Where and whether an event's client wants webhooks, or null when the client has none.</summary>
    Task<WebhookTarget?> GetTargetAsync(JobEvent jobEvent, CancellationToken cancellationToken);

    /// <summary>Saves the delivery state of an event.</summary>
    Task SaveAsync(JobEvent jobEvent, CancellationToken cancellationToken);
}

/// <summary>A client's webhook and the preference that applies to one event.</summary>
/// <param name="Url">The receiver.</param>
/// <param name="Secret">The HMAC-SHA256 signing key.</param>
/// <param name="Notification">Which finished runs to notify (the task's own, for account-task runs).</param>
/// <param name="TaskId">The account task, for account-task runs.</param>
public sealed record WebhookTarget(string Url, string Secret, TaskNotification Notification, Guid? TaskId);
