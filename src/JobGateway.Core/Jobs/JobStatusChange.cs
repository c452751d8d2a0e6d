namespace JobGateway.Core.Jobs;

/// <summary>
/// A status move made by a domain method, kept on the job until the store saves it: the store writes it
/// to the outbox in the same transaction as the job itself.
/// </summary>
/// <param name="From">Status before.</param>
/// <param name="To">Status after.</param>
/// <param name="At">When.</param>
public sealed record JobStatusChange(JobStatus From, JobStatus To, DateTimeOffset At);
