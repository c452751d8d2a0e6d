namespace JobGateway.Core.Jobs;

/// <summary>
/// One asynchronous job, as every surface sees it. Status only changes through the methods below, each
/// checked against <see cref="JobTransitions"/>.
/// </summary>
public sealed class Job
{
    /// <summary>Largest accepted <see cref="Progress"/>.</summary>
    public const int MaxProgress = 100;

    private readonly List<JobStatusChange> _statusChanges = [];

    private Job()
    {
        Type = string.Empty;
    }

    /// <summary>Status moves made since the job was loaded, not yet saved.</summary>
    public IReadOnlyList<JobStatusChange> StatusChanges => _statusChanges;

    /// <summary>Public identifier (Elastic Path <c>id</c>, DiscountASP <c>jobId</c>, native id).</summary>
    public Guid Id { get; private set; }

    /// <summary>Increasing 64-bit number assigned by the store (MagnetMail <c>jobid</c>, T2A <c>job_id_raw</c>).</summary>
    public long Number { get; private set; }

    /// <summary>The tenant that owns the job.</summary>
    public Guid ClientId { get; private set; }

    /// <summary>The job type, e.g. <c>billing-run</c>, which decides how it runs.</summary>
    public string Type { get; private set; }

    /// <summary>An optional human-readable name.</summary>
    public string? Name { get; private set; }

    /// <summary>The input of the job: JSON text, stored as received.</summary>
    public string? Payload { get; private set; }

    /// <summary>The client's own reference for the job.</summary>
    public string? ExternalRef { get; private set; }

    /// <summary>The surface the job was created through.</summary>
    public JobSurface Surface { get; private set; }

    /// <summary>The client's <c>Idempotency-Key</c>, unique per client when present.</summary>
    public string? IdempotencyKey { get; private set; }

    /// <summary>A fingerprint of the create request, compared when the idempotency key is reused.</summary>
    public string? RequestHash { get; private set; }

    /// <summary>The canonical status.</summary>
    public JobStatus Status { get; private set; }

    /// <summary>How many times a worker has claimed the job.</summary>
    public int Attempts { get; private set; }

    /// <summary>Completion estimate reported by the worker, 0–100.</summary>
    public int Progress { get; private set; }

    /// <summary>Result counters as JSON, reported by the worker on success (or progress).</summary>
    public string? Report { get; private set; }

    /// <summary>Code of the last error, if any.</summary>
    public string? ErrorCode { get; private set; }

    /// <summary>Message of the last error, if any.</summary>
    public string? ErrorMessage { get; private set; }

    /// <summary>Details of the last error, if any.</summary>
    public string? ErrorDetails { get; private set; }

    /// <summary>The last error as one value, or null.</summary>
    public JobError? Error => ErrorCode is null ? null : new JobError(ErrorCode, ErrorMessage ?? string.Empty, ErrorDetails);

    /// <summary>When the job was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the job last changed (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When a worker first started the job (UTC).</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>When the job reached a terminal status (UTC).</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The job is not claimed before this instant (retry back-off).</summary>
    public DateTimeOffset RunAfter { get; private set; }

    /// <summary>The worker holding the lease while Running.</summary>
    public string? LeaseOwner { get; private set; }

    /// <summary>When the current lease runs out.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    /// <summary>A client asked to cancel the job while it was Running; the worker should stop.</summary>
    public bool CancellationRequested { get; private set; }

    /// <summary>Optimistic concurrency token, changed by every modification.</summary>
    public long Version { get; private set; }

    /// <summary>Whether the job has reached a terminal status.</summary>
    public bool IsFinished => JobTransitions.IsTerminal(Status);

    /// <summary>Whether a client may ask to cancel the job now (<see cref="RequestCancellation"/>): it has not finished.</summary>
    public bool IsCancellable => JobTransitions.IsAllowed(Status, JobStatus.Cancelled);

    /// <summary>Whether an operator may queue the job again (<see cref="Requeue"/>): it failed or was cancelled.</summary>
    public bool IsRequeueable => JobTransitions.CanRequeue(Status);

    /// <summary>Whether the job may be deleted (<see cref="EnsureDeletable"/>): no worker runs it.</summary>
    public bool IsDeletable => Status != JobStatus.Running;

    /// <summary>Creates a new Pending job. The store assigns <see cref="Number"/>.</summary>
    public static Job Create(NewJob request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Type);
        return new Job
        {
            Id = Guid.CreateVersion7(now),
            ClientId = request.ClientId,
            Type = request.Type,
            Name = request.Name,
            Payload = request.Payload,
            ExternalRef = request.ExternalRef,
            Surface = request.Surface,
            IdempotencyKey = request.IdempotencyKey,
            RequestHash = request.IdempotencyKey is null ? null : request.Fingerprint(),
            Status = JobStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
            RunAfter = now,
            Version = 1,
        };
    }

    /// <summary>A worker claimed the job: Pending → Running, counting one attempt.</summary>
    public void Start(string workerId, DateTimeOffset leaseExpiresAt, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        MoveTo(JobStatus.Running, now);
        Attempts++;
        StartedAt ??= now;
        LeaseOwner = workerId;
        LeaseExpiresAt = leaseExpiresAt;
    }

    /// <summary>The lease holder extends its lease and may report progress.</summary>
    public void Heartbeat(string workerId, DateTimeOffset leaseExpiresAt, int? progress, DateTimeOffset now)
    {
        EnsureLeaseHolder(workerId, now);
        LeaseExpiresAt = leaseExpiresAt;
        if (progress is { } p)
        {
            Progress = ValidProgress(p);
        }

        Touch(now);
    }

    /// <summary>The lease holder finished the job: Running → Succeeded.</summary>
    public void Succeed(string workerId, string? report, DateTimeOffset now)
    {
        EnsureLeaseHolder(workerId, now);
        MoveTo(JobStatus.Succeeded, now);
        Report = report;
        Progress = MaxProgress;
        ClearError();
        Finish(now);
    }

    /// <summary>The lease holder gave up on the job: Running → Failed.</summary>
    public void Fail(string workerId, JobError error, DateTimeOffset now)
    {
        EnsureLeaseHolder(workerId, now);
        MoveTo(JobStatus.Failed, now);
        SetError(error);
        Finish(now);
    }

    /// <summary>The attempt failed but another is allowed: Running → Pending, not before <paramref name="runAfter"/>.</summary>
    public void Retry(string workerId, JobError error, DateTimeOffset runAfter, DateTimeOffset now)
    {
        EnsureLeaseHolder(workerId, now);
        MoveTo(JobStatus.Pending, now);
        SetError(error);
        RunAfter = runAfter;
        ReleaseLease();
    }

    /// <summary>
    /// The lease ran out under a worker that stopped answering. The attempt stays counted: the job goes back
    /// to Pending when <paramref name="retry"/> allows another attempt, else it fails.
    /// </summary>
    public void ExpireLease(bool retry, DateTimeOffset now)
    {
        if (Status != JobStatus.Running || LeaseExpiresAt > now)
        {
            throw new DomainException("lease_active", $"Job {Id} does not hold an expired lease.");
        }

        SetError(new JobError("lease_expired", $"The lease of worker '{LeaseOwner}' expired."));
        if (retry)
        {
            MoveTo(JobStatus.Pending, now);
            RunAfter = now;
            ReleaseLease();
        }
        else
        {
            MoveTo(JobStatus.Failed, now);
            Finish(now);
        }
    }

    /// <summary>Forgets the recorded status moves once the store has written them.</summary>
    public void AcceptStatusChanges() => _statusChanges.Clear();

    /// <summary>
    /// The lease holder hands the job back without running it (orderly shutdown): Running → Pending, and
    /// the attempt is not counted.
    /// </summary>
    public void Release(string workerId, DateTimeOffset now)
    {
        EnsureLeaseHolder(workerId, now);
        MoveTo(JobStatus.Pending, now);
        Attempts = Math.Max(0, Attempts - 1);
        RunAfter = now;
        ReleaseLease();
    }

    /// <summary>
    /// A client asks to cancel. Pending jobs are cancelled at once; Running jobs are flagged and the worker
    /// confirms with <see cref="ConfirmCancelled"/>. Returns true when the job is now Cancelled.
    /// </summary>
    public bool RequestCancellation(DateTimeOffset now)
    {
        if (Status == JobStatus.Running)
        {
            CancellationRequested = true;
            Touch(now);
            return false;
        }

        MoveTo(JobStatus.Cancelled, now);
        Finish(now);
        return true;
    }

    /// <summary>The lease holder stopped after a cancellation request: Running → Cancelled.</summary>
    public void ConfirmCancelled(string workerId, DateTimeOffset now)
    {
        EnsureLeaseHolder(workerId, now);
        MoveTo(JobStatus.Cancelled, now);
        Finish(now);
    }

    /// <summary>
    /// An operator queues a job that failed or was cancelled again: Failed | Cancelled → Pending, ready at once
    /// (see <see cref="JobTransitions.CanRequeue"/>). The attempts made stay counted, so the next claim is a new
    /// attempt; the last error stays until that attempt's outcome replaces it.
    /// </summary>
    public void Requeue(DateTimeOffset now)
    {
        if (!JobTransitions.CanRequeue(Status))
        {
            throw new IllegalTransitionException(Id, Status, JobStatus.Pending);
        }

        Record(JobStatus.Pending, now);
        RunAfter = now;
        FinishedAt = null;
        Progress = 0;
        CancellationRequested = false;
    }

    /// <summary>Whether the job may be deleted: never while a worker runs it.</summary>
    public void EnsureDeletable()
    {
        if (!IsDeletable)
        {
            throw new DomainException("job_running", $"Job {Id} is running and cannot be deleted; cancel it first.");
        }
    }

    // Ownership is checked first: a worker whose job was taken from it (lease expired, job retried or
    // finished by another) is told it lost the lease, which is what it needs to know; the move itself is
    // then checked against the table by MoveTo.
    private void EnsureLeaseHolder(string workerId, DateTimeOffset now)
    {
        if (Status != JobStatus.Running || !string.Equals(LeaseOwner, workerId, StringComparison.Ordinal) || LeaseExpiresAt <= now)
        {
            throw new DomainException("lease_lost", $"Worker '{workerId}' does not hold the lease on job {Id}.");
        }
    }

    private void MoveTo(JobStatus to, DateTimeOffset now)
    {
        if (!JobTransitions.IsAllowed(Status, to))
        {
            throw new IllegalTransitionException(Id, Status, to);
        }

        Record(to, now);
    }

    private void Record(JobStatus to, DateTimeOffset now)
    {
        _statusChanges.Add(new JobStatusChange(Status, to, now));
        Status = to;
        Touch(now);
    }

    private void Finish(DateTimeOffset now)
    {
        FinishedAt = now;
        CancellationRequested = false;
        ReleaseLease();
    }

    private void ReleaseLease()
    {
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    private void SetError(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        ErrorCode = error.Code;
        ErrorMessage = error.Message;
        ErrorDetails = error.Details;
    }

    private void ClearError()
    {
        ErrorCode = null;
        ErrorMessage = null;
        ErrorDetails = null;
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }

    private static int ValidProgress(int progress) =>
        progress is < 0 or > MaxProgress
            ? throw new DomainException("invalid_progress", $"Progress must be between 0 and {MaxProgress}.")
            : progress;
}
