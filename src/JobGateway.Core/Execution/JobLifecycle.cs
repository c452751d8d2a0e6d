using JobGateway.Core.Jobs;

namespace JobGateway.Core.Execution;

/// <summary>How each job type runs and retries (configuration, implemented by the execution module).</summary>
public interface IJobTypePolicies
{
    /// <summary>The retry policy of a type.</summary>
    RetryPolicy RetryPolicyFor(string jobType);

    /// <summary>Whether jobs of this type are served by external workers over the worker API.</summary>
    bool RunsExternally(string jobType);
}

/// <summary>
/// The worker side of a job's life, shared by the in-process workers and the HTTP worker API so both obey
/// the same rules: claims, heartbeats, completion, failure with retry and back-off, lease expiry.
/// </summary>
public sealed class JobLifecycle(IJobStore store, IJobTypePolicies policies, IJobSignal signal, TimeProvider time)
{
    /// <summary>Claims Pending jobs of the given types for <paramref name="workerId"/>.</summary>
    public Task<IReadOnlyList<Job>> ClaimAsync(string workerId, IReadOnlyList<string> types, int maxJobs, TimeSpan lease, Guid? clientId, CancellationToken cancellationToken) =>
        store.ClaimAsync(new ClaimRequest(workerId, types, maxJobs, lease) { ClientId = clientId }, cancellationToken);

    /// <summary>Extends the lease and records progress. Null when the job is not found (in scope).</summary>
    public Task<Job?> HeartbeatAsync(Guid? clientId, Guid jobId, string workerId, int? progress, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return store.UpdateAsync(clientId, jobId, j => j.Heartbeat(workerId, now + lease, progress, now), cancellationToken);
    }

    /// <summary>Records success with the worker's report.</summary>
    public Task<Job?> CompleteAsync(Guid? clientId, Guid jobId, string workerId, string? report, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return store.UpdateAsync(clientId, jobId, j => j.Succeed(workerId, report, now), cancellationToken);
    }

    /// <summary>
    /// Records a failed attempt. The job goes back to Pending after a back-off when <paramref name="retry"/>
    /// is asked for and the type's policy allows another attempt; otherwise it fails with this error.
    /// </summary>
    public async Task<Job?> FailAsync(Guid? clientId, Guid jobId, string workerId, JobError error, bool retry, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retried = false;
        var job = await store.UpdateAsync(clientId, jobId, j =>
        {
            var policy = policies.RetryPolicyFor(j.Type);
            retried = retry && policy.CanRetry(j.Attempts);
            if (retried)
            {
                j.Retry(workerId, error, now + policy.DelayAfter(j.Attempts, Random.Shared.NextDouble()), now);
            }
            else
            {
                j.Fail(workerId, error, now);
            }
        }, cancellationToken).ConfigureAwait(false);
        if (retried)
        {
            signal.Pulse();
        }

        return job;
    }

    /// <summary>The lease holder stopped the job after a cancellation request.</summary>
    public Task<Job?> ConfirmCancelledAsync(Guid? clientId, Guid jobId, string workerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return store.UpdateAsync(clientId, jobId, j => j.ConfirmCancelled(workerId, now), cancellationToken);
    }

    /// <summary>The lease holder hands the job back on shutdown; the attempt is not counted.</summary>
    public async Task<Job?> ReleaseAsync(Guid jobId, string workerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var job = await store.UpdateAsync(null, jobId, j => j.Release(workerId, now), cancellationToken).ConfigureAwait(false);
        signal.Pulse();
        return job;
    }

    /// <summary>
    /// Returns jobs whose worker stopped renewing its lease to Pending (or fails them when their attempts are
    /// used up). Safe to run anywhere, any number of times: each job's move is one conditional update.
    /// </summary>
    public async Task<int> ExpireLeasesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = await store.FindExpiredLeasesAsync(now, 100, cancellationToken).ConfigureAwait(false);
        var moved = 0;
        foreach (var candidate in expired)
        {
            try
            {
                var job = await store.UpdateAsync(null, candidate.Id, j =>
                    j.ExpireLease(policies.RetryPolicyFor(j.Type).CanRetry(j.Attempts), now), cancellationToken).ConfigureAwait(false);
                moved += job is null ? 0 : 1;
            }
            catch (DomainException)
            {
                // Renewed, finished or expired by another sweeper since we read it: nothing to do.
            }
        }

        if (moved > 0)
        {
            signal.Pulse();
        }

        return moved;
    }
}
