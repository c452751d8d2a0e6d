using JobGateway.Core.Jobs;

namespace JobGateway.Core.Execution;

/// <summary>
/// Runs jobs of one type inside the gateway. Registered in DI; the in-process worker finds the handler by
/// <see cref="Type"/>. Delivery is at-least-once: a handler may see the same job again after a crash, so
/// its effects should be idempotent on <see cref="Job.Id"/>.
/// </summary>
public interface IJobHandler
{
    /// <summary>The job type this handler runs.</summary>
    string Type { get; }

    /// <summary>
    /// Runs the job and returns its report (JSON, or null). Throwing fails the attempt (and retries it
    /// while attempts remain). <paramref name="cancellationToken"/> fires on shutdown and when a client
    /// cancels the job.
    /// </summary>
    Task<string?> HandleAsync(JobExecutionContext context, CancellationToken cancellationToken);
}

/// <summary>What a handler gets to know about the run.</summary>
/// <param name="Job">The job, as claimed.</param>
/// <param name="ReportProgress">Records progress (0–100); also extends the lease.</param>
public sealed record JobExecutionContext(Job Job, Func<int, CancellationToken, Task> ReportProgress);

/// <summary>
/// A permanent failure: the handler knows that retrying cannot help, so the job fails at once.
/// </summary>
public sealed class PermanentJobFailureException(string code, string message) : Exception(message)
{
    /// <summary>The error code recorded on the job.</summary>
    public string Code { get; } = code;
}
