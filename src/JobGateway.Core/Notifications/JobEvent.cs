using JobGateway.Core.Jobs;

namespace JobGateway.Core.Notifications;

/// <summary>Where a webhook for one event stands.</summary>
public enum DeliveryState
{
    /// <summary>Not yet delivered; will be tried at <see cref="JobEvent.NextAttemptAt"/>.</summary>
    Pending = 0,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered = 1,

    /// <summary>Every attempt failed; no more will be made.</summary>
    Failed = 2,

    /// <summary>Nobody asked to be told about this change.</summary>
    NotRequired = 3,
}

/// <summary>
/// One status change of a job: the outbox row written in the same transaction as the change itself, and the
/// record of its webhook delivery.
/// </summary>
public sealed class JobEvent
{
    private JobEvent()
    {
        JobType = string.Empty;
    }

    /// <summary>Increasing identifier (also the webhook's event id).</summary>
    public long Id { get; private set; }

    /// <summary>The job.</summary>
    public Guid JobId { get; private set; }

    /// <summary>The job's number.</summary>
    public long JobNumber { get; private set; }

    /// <summary>The job's tenant.</summary>
    public Guid ClientId { get; private set; }

    /// <summary>The job's type.</summary>
    public string JobType { get; private set; }

    /// <summary>The job's external reference (for account-task runs: the task's id).</summary>
    public string? ExternalRef { get; private set; }

    /// <summary>Status before.</summary>
    public JobStatus FromStatus { get; private set; }

    /// <summary>Status after.</summary>
    public JobStatus ToStatus { get; private set; }

    /// <summary>When the change happened.</summary>
    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>Webhook delivery state.</summary>
    public DeliveryState State { get; private set; }

    /// <summary>Delivery attempts made.</summary>
    public int Attempts { get; private set; }

    /// <summary>When the next delivery attempt is due (Pending only).</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>Where it was (or is being) delivered.</summary>
    public string? TargetUrl { get; private set; }

    /// <summary>Why the last attempt failed.</summary>
    public string? LastError { get; private set; }

    /// <summary>When it was delivered.</summary>
    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>The outbox row for a change of <paramref name="job"/>.</summary>
    public static JobEvent For(Job job, JobStatusChange change)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(change);
        return new JobEvent
        {
            JobId = job.Id,
            JobNumber = job.Number,
            ClientId = job.ClientId,
            JobType = job.Type,
            ExternalRef = job.ExternalRef,
            FromStatus = change.From,
            ToStatus = change.To,
            OccurredAt = change.At,
            State = DeliveryState.Pending,
            NextAttemptAt = change.At,
        };
    }

    /// <summary>Nobody is to be told.</summary>
    public void MarkNotRequired()
    {
        State = DeliveryState.NotRequired;
        NextAttemptAt = null;
    }

    /// <summary>The receiver took it.</summary>
    public void MarkDelivered(string targetUrl, DateTimeOffset now)
    {
        Attempts++;
        TargetUrl = targetUrl;
        State = DeliveryState.Delivered;
        DeliveredAt = now;
        NextAttemptAt = null;
        LastError = null;
    }

    /// <summary>An attempt failed; try again at <paramref name="retryAt"/>, or give up when it is null.</summary>
    public void MarkAttemptFailed(string targetUrl, string error, DateTimeOffset? retryAt)
    {
        Attempts++;
        TargetUrl = targetUrl;
        LastError = error.Length > 1000 ? error[..1000] : error;
        NextAttemptAt = retryAt;
        State = retryAt is null ? DeliveryState.Failed : DeliveryState.Pending;
    }
}
