namespace JobGateway.Core.Jobs;

/// <summary>
/// The job store port. It speaks in jobs and leases; every read and write is scoped to a client except the
/// worker-side claim, which serves all tenants.
/// </summary>
public interface IJobStore
{
    /// <summary>
    /// Stores a new Pending job, or with an idempotency key already used by the client returns the first
    /// job (same request) or a conflict (another request). Returns only once the job is durably committed.
    /// </summary>
    Task<CreateJobResult> CreateAsync(NewJob request, CancellationToken cancellationToken);

    /// <summary>
    /// How many Pending jobs the client has, counted up to <paramref name="atMost"/> (a count that reaches it stops
    /// there, so its cost is bounded by <paramref name="atMost"/> and not by the client's backlog).
    /// </summary>
    Task<int> CountPendingAsync(Guid clientId, int atMost, CancellationToken cancellationToken);

    /// <summary>The client's job with this id, or null (also for other clients' jobs).</summary>
    Task<Job?> GetAsync(Guid clientId, Guid id, CancellationToken cancellationToken);

    /// <summary>The client's job with this number, or null (also for other clients' jobs).</summary>
    Task<Job?> GetByNumberAsync(Guid clientId, long number, CancellationToken cancellationToken);

    /// <summary>The status of the client's job with this id, or null (also for other clients' jobs).</summary>
    Task<JobStatusView?> GetStatusAsync(Guid clientId, Guid id, CancellationToken cancellationToken);

    /// <summary>The status of the client's job with this number, or null (also for other clients' jobs).</summary>
    Task<JobStatusView?> GetStatusByNumberAsync(Guid clientId, long number, CancellationToken cancellationToken);

    /// <summary>One page of the client's jobs, ordered by number (creation order), stable under inserts.</summary>
    Task<JobPage> ListAsync(Guid clientId, JobQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Loads the client's job, applies <paramref name="change"/> (a domain method) and saves it under the
    /// job's concurrency token, retrying on a concurrent change. Null when the job is not found. A null
    /// <paramref name="clientId"/> reaches every tenant's jobs: only the worker side may pass it.
    /// </summary>
    Task<Job?> UpdateAsync(Guid? clientId, Guid id, Action<Job> change, CancellationToken cancellationToken);

    /// <summary>Deletes the client's job unless it is running. False when not found.</summary>
    Task<bool> DeleteAsync(Guid clientId, Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <c>MaxJobs</c> Pending jobs of the given types whose back-off has passed,
    /// each with one conditional update: a job is ours only when that update changed its row.
    /// </summary>
    Task<IReadOnlyList<Job>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken);

    /// <summary>Running jobs whose lease ran out at or before <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<Job>> FindExpiredLeasesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>The status changes (outbox rows) of the client's job, oldest first; empty when not found.</summary>
    Task<IReadOnlyList<Notifications.JobEvent>> ListEventsAsync(Guid clientId, Guid id, CancellationToken cancellationToken);
}

/// <summary>The outcome of <see cref="IJobStore.CreateAsync"/>.</summary>
/// <param name="Job">The created job, or the original one for a repeated idempotency key.</param>
/// <param name="Outcome">What happened.</param>
public sealed record CreateJobResult(Job? Job, CreateOutcome Outcome);

/// <summary>What happened to a create request.</summary>
public enum CreateOutcome
{
    /// <summary>A new job was stored.</summary>
    Created,

    /// <summary>The idempotency key was used before with the same request: the original job is returned.</summary>
    Replayed,

    /// <summary>The idempotency key was used before with a different request: nothing was stored.</summary>
    KeyConflict,
}

/// <summary>Filters and paging for <see cref="IJobStore.ListAsync"/>.</summary>
public sealed record JobQuery
{
    /// <summary>Largest page size any surface may ask for.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Only jobs in one of these statuses (empty: all).</summary>
    public IReadOnlyList<JobStatus> Statuses { get; init; } = [];

    /// <summary>Only jobs of one of these types (empty: all).</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>Only jobs with exactly this external reference.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>Only jobs created at or after this instant.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only jobs created before this instant.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Only jobs created strictly after this instant.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only jobs created at or before this instant.</summary>
    public DateTimeOffset? CreatedUntil { get; init; }

    /// <summary>Only jobs with one of these external references (empty: all).</summary>
    public IReadOnlyList<string> ExternalRefs { get; init; } = [];

    /// <summary>
    /// Only jobs whose external reference matches this pattern, where <c>*</c> stands for any run of characters
    /// (<c>inv-*</c>, <c>*-42</c>, <c>*batch*</c>). Case-insensitive for ASCII letters on every provider.
    /// </summary>
    public string? ExternalRefLike { get; init; }

    /// <summary>Only jobs with one of these ids (empty: all).</summary>
    public IReadOnlyList<Guid> Ids { get; init; } = [];

    /// <summary>Keyset cursor: only jobs with a number greater than this.</summary>
    public long? AfterNumber { get; init; }

    /// <summary>Offset paging (used by dialects that page by offset); ignored when zero.</summary>
    public int Offset { get; init; }

    /// <summary>Page size, 1 to <see cref="MaxPageSize"/>.</summary>
    public int Limit { get; init; } = 25;

    /// <summary>Whether to count all matches (costs a second query).</summary>
    public bool IncludeTotal { get; init; }
}

/// <summary>One page of jobs.</summary>
/// <param name="Items">The jobs, by ascending number.</param>
/// <param name="Total">All matches, when asked for.</param>
/// <param name="HasMore">Whether another page follows.</param>
public sealed record JobPage(IReadOnlyList<Job> Items, int? Total, bool HasMore);

/// <summary>A worker's request to claim jobs.</summary>
/// <param name="WorkerId">Who will hold the leases.</param>
/// <param name="Types">Job types the worker serves.</param>
/// <param name="MaxJobs">At most this many jobs.</param>
/// <param name="LeaseDuration">How long each lease lasts before it must be renewed.</param>
public sealed record ClaimRequest(string WorkerId, IReadOnlyList<string> Types, int MaxJobs, TimeSpan LeaseDuration)
{
    /// <summary>Only this client's jobs; null: every tenant's (the operator's workers).</summary>
    public Guid? ClientId { get; init; }
}
