namespace JobGateway.Core.Jobs;

/// <summary>
/// The one table of legal status moves. <see cref="Job"/> consults it for every change, and the store's
/// atomic claim derives its WHERE clause from it, so there is no second copy of the rules. An operator's requeue
/// of a failed or cancelled job (<see cref="CanRequeue"/>) is the one move outside it.
/// </summary>
public static class JobTransitions
{
    private static readonly HashSet<(JobStatus From, JobStatus To)> Allowed =
    [
        (JobStatus.Pending, JobStatus.Running),
        (JobStatus.Running, JobStatus.Succeeded),
        (JobStatus.Running, JobStatus.Failed),
        (JobStatus.Pending, JobStatus.Cancelled),
        (JobStatus.Running, JobStatus.Cancelled),
        // A retry after a failed attempt, or a lease that expired under a crashed worker.
        (JobStatus.Running, JobStatus.Pending),
    ];

    // An operator's requeue of a finished job (Job.Requeue): outside the job's own life, so the statuses it leaves
    // stay terminal for every worker, client and webhook.
    private static readonly HashSet<(JobStatus From, JobStatus To)> Requeues =
    [
        (JobStatus.Failed, JobStatus.Pending),
        (JobStatus.Cancelled, JobStatus.Pending),
    ];

    /// <summary>All legal moves, for documentation and exhaustive tests.</summary>
    public static IReadOnlyCollection<(JobStatus From, JobStatus To)> All => Allowed;

    /// <summary>Whether a job may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(JobStatus from, JobStatus to) => Allowed.Contains((from, to));

    /// <summary>The statuses from which <paramref name="to"/> can be reached.</summary>
    public static IReadOnlyList<JobStatus> SourcesOf(JobStatus to) =>
        Allowed.Where(t => t.To == to).Select(t => t.From).Order().ToArray();

    /// <summary>Whether an operator may queue a job in <paramref name="status"/> again (it failed or was cancelled).</summary>
    public static bool CanRequeue(JobStatus status) => Requeues.Contains((status, JobStatus.Pending));

    /// <summary>Whether no move leaves <paramref name="status"/>.</summary>
    public static bool IsTerminal(JobStatus status) => Allowed.All(t => t.From != status);
}
