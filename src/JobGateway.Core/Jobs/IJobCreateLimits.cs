using JobGateway.Core.Clients;

namespace JobGateway.Core.Jobs;

/// <summary>
/// The per-client limits on job creates: a rate (a token bucket per client) and a cap on the client's Pending jobs.
/// Every surface that creates a job for a client asks here first; a refused create stores nothing. One client at
/// its limits costs the others nothing: each client has its own bucket and its own count.
/// </summary>
public interface IJobCreateLimits
{
    /// <summary>Takes one create from the caller's bucket; the refusal when the bucket is empty.</summary>
    CreateRefusal? TryTakeRatePermit(Credential caller);

    /// <summary>
    /// The refusal when the caller has its cap of Pending jobs; otherwise the <paramref name="jobs"/> Pending jobs the
    /// create is about to add (1 for a job, 0 for a create that only schedules jobs, such as a recurring task) are
    /// counted towards the cap.
    /// </summary>
    ValueTask<CreateRefusal?> CheckPendingAsync(Credential caller, int jobs, CancellationToken cancellationToken);
}

/// <summary>Why a create was refused and when to try again.</summary>
/// <param name="Code">Stable machine-readable code: <see cref="RateLimited"/> or <see cref="TooManyPending"/>.</param>
/// <param name="Message">What the caller is told; it says to retry later.</param>
/// <param name="RetryAfter">How long to wait before trying again.</param>
public sealed record CreateRefusal(string Code, string Message, TimeSpan RetryAfter)
{
    /// <summary>The client's creates per second (and burst) are used up.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The client has its cap of Pending jobs.</summary>
    public const string TooManyPending = "too_many_pending";

    /// <summary><see cref="RetryAfter"/> in whole seconds, rounded up, at least 1: the <c>Retry-After</c> header's value.</summary>
    public long RetryAfterSeconds => Math.Max(1, (long)Math.Ceiling(RetryAfter.TotalSeconds));
}

public static class JobCreateLimitsExtensions
{
    /// <summary>Both limits in turn for a create of one job, rate first: the refusal of the first that refuses, or null when the create may go ahead.</summary>
    public static async ValueTask<CreateRefusal?> AdmitAsync(this IJobCreateLimits limits, Credential caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return limits.TryTakeRatePermit(caller) ?? await limits.CheckPendingAsync(caller, 1, cancellationToken);
    }
}
