using JobGateway.Core.Jobs;

namespace JobGateway.Soap.DiscountAsp;

/// <summary>DiscountASP's words for the canonical status.</summary>
internal static class DiscountAspStatus
{
    /// <summary>The configured word for <paramref name="status"/>, else the default.</summary>
    public static string Word(JobStatus status, IReadOnlyDictionary<JobStatus, string> overrides) =>
        overrides.TryGetValue(status, out var word) ? word : Default(status);

    // Exhaustive on purpose: a new status must fail the build here rather than leak to a client.
    public static string Default(JobStatus status) => status switch
    {
        JobStatus.Pending => "Pending",
        JobStatus.Running => "Running",
        JobStatus.Succeeded => "Completed",
        JobStatus.Failed => "Failed",
        JobStatus.Cancelled => "Cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
