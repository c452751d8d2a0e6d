using JobGateway.Core.AccountTasks;
using JobGateway.Core.Jobs;

namespace JobGateway.Core.Operations;

/// <summary>
/// The reads of the operators' view (the dashboard): counts, activity per minute, jobs browsed with filters, running
/// jobs and account tasks. Every read takes a scope: a client id limits it to that client's jobs and tasks; null
/// reaches every client's, which only an admin key may ask for.
/// </summary>
public interface IOperationsStore
{
    /// <summary>How many jobs there are in each status, per type.</summary>
    Task<IReadOnlyList<JobCount>> CountAsync(Guid? clientId, CancellationToken cancellationToken);

    /// <summary>Jobs created, succeeded and failed per minute, from <paramref name="since"/> on (minutes with none are left out).</summary>
    Task<IReadOnlyList<MinuteActivity>> ActivityAsync(Guid? clientId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>One page of jobs matching <paramref name="query"/>, newest first.</summary>
    Task<JobBrowsePage> BrowseAsync(Guid? clientId, JobBrowseQuery query, CancellationToken cancellationToken);

    /// <summary>The job with this id in scope, or null.</summary>
    Task<Job?> FindAsync(Guid? clientId, Guid id, CancellationToken cancellationToken);

    /// <summary>Running jobs in scope with their leases, by lease owner then number; at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<RunningJob>> ListRunningAsync(Guid? clientId, int max, CancellationToken cancellationToken);

    /// <summary>One page of account tasks in scope, oldest first, each with its last run's status read from its job.</summary>
    Task<IReadOnlyList<TaskOverview>> ListTasksAsync(Guid? clientId, int offset, int limit, CancellationToken cancellationToken);
}

/// <summary>How many jobs of <paramref name="Type"/> are in <paramref name="Status"/>.</summary>
public sealed record JobCount(JobStatus Status, string Type, long Count);

/// <summary>What happened in one minute.</summary>
/// <param name="Minute">The minute's start (UTC).</param>
/// <param name="Created">Jobs created in it.</param>
/// <param name="Succeeded">Jobs that succeeded in it.</param>
/// <param name="Failed">Jobs that failed in it.</param>
public sealed record MinuteActivity(DateTimeOffset Minute, long Created, long Succeeded, long Failed);

/// <summary>Filters and keyset paging of <see cref="IOperationsStore.BrowseAsync"/>; every filter set must hold.</summary>
public sealed record JobBrowseQuery
{
    /// <summary>Largest page.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Only jobs in one of these statuses (empty: all).</summary>
    public IReadOnlyList<JobStatus> Statuses { get; init; } = [];

    /// <summary>Only jobs of this type.</summary>
    public string? Type { get; init; }

    /// <summary>Only this client's jobs (within the scope).</summary>
    public Guid? ClientId { get; init; }

    /// <summary>Only jobs created through this surface.</summary>
    public JobSurface? Surface { get; init; }

    /// <summary>Only jobs with exactly this external reference.</summary>
    public string? ExternalRef { get; init; }

    /// <summary>The page after (older than) this number; null: from the newest.</summary>
    public long? Before { get; init; }

    /// <summary>The page before (newer than) this number; used instead of <see cref="Before"/> to page back.</summary>
    public long? After { get; init; }

    /// <summary>Page size, 1 to <see cref="MaxPageSize"/>.</summary>
    public int Limit { get; init; } = 25;
}

/// <summary>One page of browsed jobs, newest first.</summary>
/// <param name="Items">The jobs.</param>
/// <param name="HasOlder">Whether older jobs match too.</param>
/// <param name="HasNewer">Whether newer jobs match too.</param>
public sealed record JobBrowsePage(IReadOnlyList<JobSummary> Items, bool HasOlder, bool HasNewer);

/// <summary>A job as a list shows it: no payload, report or lease.</summary>
public sealed record JobSummary(
    long Number,
    Guid Id,
    Guid ClientId,
    string Type,
    string? Name,
    JobStatus Status,
    JobSurface Surface,
    string? ExternalRef,
    int Attempts,
    int Progress,
    bool CancellationRequested,
    string? ErrorCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt);

/// <summary>A running job and the lease its worker holds.</summary>
public sealed record RunningJob(
    long Number,
    Guid Id,
    Guid ClientId,
    string Type,
    string? Name,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset? StartedAt,
    int Attempts,
    int Progress,
    bool CancellationRequested);

/// <summary>An account task and the live status of its last run (null before the first, or when its job is gone).</summary>
public sealed record TaskOverview(AccountTask Task, JobStatus? LastRunStatus);
