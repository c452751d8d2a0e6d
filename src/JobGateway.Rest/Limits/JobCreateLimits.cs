using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using JobGateway.Core.Clients;
using JobGateway.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobGateway.Rest.Limits;

/// <summary>
/// The gateway's <see cref="IJobCreateLimits"/>, one per process.
/// <list type="bullet">
/// <item><b>Rate.</b> A token bucket per client (System.Threading.RateLimiting, partitioned by client and its limits).
/// The REST surfaces draw from it through the rate limiting middleware (<see cref="JobCreateRatePolicy"/>), T2A's
/// <c>job_create</c> directly: one budget per client, whatever the surface.</item>
/// <item><b>Pending cap.</b> A client's Pending jobs as last counted plus the creates admitted here since. On one
/// instance that is never less than the truth but for the creates still in flight (jobs leave Pending only by
/// running, cancel or delete), so a count is taken only when it could matter: once per client at first, then at most
/// once a second while the estimate is at the cap (to see jobs that ran) and every ten seconds while it is past half
/// the cap (to see other instances' creates). The count reads the partial index of a client's Pending jobs and stops
/// at the cap. Group commit never waits on it: the check runs before a create is queued, and otherwise it is a few
/// additions under a per-client lock.</item>
/// </list>
/// </summary>
internal sealed class JobCreateLimits : IJobCreateLimits, IDisposable
{
    /// <summary>How old a count may be once a client's estimate reaches its cap: how soon a refused client sees its jobs run.</summary>
    internal static readonly TimeSpan RecountAtCapAfter = TimeSpan.FromSeconds(1);

    /// <summary>How old a count may be once a client's estimate is at half its cap: other instances' creates are not in it.</summary>
    internal static readonly TimeSpan RecountPastHalfAfter = TimeSpan.FromSeconds(10);

    /// <summary>What a client at its cap is told to wait: its jobs have to run before it may add more.</summary>
    internal static readonly TimeSpan PendingRetryAfter = TimeSpan.FromSeconds(5);

    private readonly LimitsOptions _options;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<ClientRateKey> _buckets;
    private readonly ConcurrentDictionary<Guid, PendingEstimate> _pending = new();

    public JobCreateLimits(IOptions<LimitsOptions> options, IServiceScopeFactory scopes, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _scopes = scopes;
        _time = time;

        // One bucket per client and limits, so new limits take effect with a fresh bucket. The partitioned limiter
        // refills every bucket from one timer, continuously at the client's rate, and drops buckets left idle.
        _buckets = PartitionedRateLimiter.Create<ClientRateKey, ClientRateKey>(key => RateLimitPartition.GetTokenBucketLimiter(key, Bucket));
    }

    public CreateRefusal? TryTakeRatePermit(Credential caller)
    {
        var key = RateKeyOf(caller);
        using var lease = AcquireRate(key, 1);
        return lease.IsAcquired ? null : RateRefusal(key, lease);
    }

    public async ValueTask<CreateRefusal?> CheckPendingAsync(Credential caller, int jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var cap = caller.Limits.MaxPendingJobs ?? _options.MaxPendingJobs;
        var estimate = _pending.GetOrAdd(caller.ClientId, static _ => new PendingEstimate());
        if (estimate.NeedsCount(cap, _time))
        {
            await estimate.RecountAsync(() => CountPendingAsync(caller.ClientId, cap), _time, cancellationToken);
        }

        return estimate.TryAdmit(cap, jobs)
            ? null
            : new CreateRefusal(
                CreateRefusal.TooManyPending,
                $"Too many pending jobs: this client may have {cap} jobs waiting to run and has reached that. Retry later, once some have run.",
                PendingRetryAfter);
    }

    /// <summary>The bucket of <paramref name="caller"/>: its client and the rate and burst it is held to.</summary>
    internal ClientRateKey RateKeyOf(Credential caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new ClientRateKey(
            caller.ClientId, caller.Limits.CreatesPerSecond ?? _options.CreatesPerSecond, caller.Limits.CreateBurst ?? _options.CreateBurst);
    }

    internal RateLimitLease AcquireRate(ClientRateKey key, int permits) => _buckets.AttemptAcquire(key, permits);

    internal ValueTask<RateLimitLease> AcquireRateAsync(ClientRateKey key, int permits, CancellationToken cancellationToken) =>
        _buckets.AcquireAsync(key, permits, cancellationToken);

    internal RateLimiterStatistics? RateStatistics(ClientRateKey key) => _buckets.GetStatistics(key);

    /// <summary>What a client whose bucket is empty is told; the lease says when a token is due.</summary>
    internal static CreateRefusal RateRefusal(ClientRateKey key, RateLimitLease lease) => new(
        CreateRefusal.RateLimited,
        $"Too many creates: this client may create {key.PerSecond} jobs a second ({key.Burst} at once) and has used them up. Retry later.",
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1));

    public void Dispose() => _buckets.Dispose();

    // Its own scope: a count is shared by every create of the client waiting for it, not owned by one request.
    private async Task<int> CountPendingAsync(Guid clientId, int cap)
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IJobStore>().CountPendingAsync(clientId, cap, CancellationToken.None);
    }

    private static TokenBucketRateLimiterOptions Bucket(ClientRateKey key) => new()
    {
        TokenLimit = key.Burst,
        TokensPerPeriod = key.PerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
    };

    /// <summary>A client's Pending jobs as last counted, and the creates admitted since.</summary>
    private sealed class PendingEstimate
    {
        private readonly Lock _lock = new();
        private long _counted;
        private long _admitted;
        private long _countedAt;
        private bool _hasCount;
        private Task? _recount;

        public bool NeedsCount(int cap, TimeProvider time)
        {
            lock (_lock)
            {
                if (!_hasCount)
                {
                    return true;
                }

                var estimate = _counted + _admitted;
                var age = time.GetElapsedTime(_countedAt);
                return estimate >= cap ? age >= RecountAtCapAfter : estimate >= cap / 2 && age >= RecountPastHalfAfter;
            }
        }

        public bool TryAdmit(int cap, int jobs)
        {
            lock (_lock)
            {
                if (_counted + _admitted >= cap)
                {
                    return false;
                }

                _admitted += jobs;
                return true;
            }
        }

        /// <summary>
        /// Counts again, or waits for the count another create of the client started. A failed count leaves the
        /// estimate as it was (the next create counts again) and fails only the create that ran it.
        /// </summary>
        public async Task RecountAsync(Func<Task<int>> count, TimeProvider time, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task? running;
            long admittedBefore;
            lock (_lock)
            {
                running = _recount is { IsCompleted: false } started ? started : null;
                _recount = running ?? done.Task;
                admittedBefore = _admitted;
            }

            if (running is not null)
            {
                await running.WaitAsync(cancellationToken);
                return;
            }

            try
            {
                var counted = await count();

                // Creates admitted before the count began are in it (but for those still in flight); later ones are not.
                lock (_lock)
                {
                    _counted = counted;
                    _admitted -= admittedBefore;
                    _countedAt = time.GetTimestamp();
                    _hasCount = true;
                }
            }
            finally
            {
                done.SetResult();
            }
        }
    }
}

/// <summary>A client's token bucket: the client and the limits it is held to.</summary>
internal readonly record struct ClientRateKey(Guid ClientId, int PerSecond, int Burst);
