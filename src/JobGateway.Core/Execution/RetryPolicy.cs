namespace JobGateway.Core.Execution;

/// <summary>
/// How a job type retries: up to <see cref="MaxAttempts"/> attempts, waiting
/// <c>BaseDelay × 2^(attempt−1)</c> (capped at <see cref="MaxDelay"/>) with ±20 % jitter between them, so
/// that many jobs failing together do not all come back at the same instant.
/// </summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="BaseDelay">Wait after the first failed attempt.</param>
/// <param name="MaxDelay">Longest wait.</param>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>The default: 3 attempts, 2 s then 4 s.</summary>
    public static readonly RetryPolicy Default = new(3, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10));

    /// <summary>Whether a job that has made <paramref name="attempts"/> attempts may make another.</summary>
    public bool CanRetry(int attempts) => attempts < MaxAttempts;

    /// <summary>The wait after attempt number <paramref name="attempts"/> failed; <paramref name="jitter"/> in [0, 1).</summary>
    public TimeSpan DelayAfter(int attempts, double jitter)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var raw = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(raw * (0.8 + (0.4 * jitter)));
    }
}
