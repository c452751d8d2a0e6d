using JobGateway.Core.Jobs;

namespace JobGateway.Soap.MagnetMail;

/// <summary>MagnetMail's status codes and messages for the canonical status.</summary>
internal static class MagnetMailStatus
{
    /// <summary>The configured code for <paramref name="status"/>, else the default.</summary>
    public static int Code(JobStatus status, IReadOnlyDictionary<JobStatus, int> overrides) =>
        overrides.TryGetValue(status, out var code) ? code : DefaultCode(status);

    // Exhaustive on purpose: a new status must fail the build here rather than leak to a client.
    public static int DefaultCode(JobStatus status) => status switch
    {
        JobStatus.Pending => 0,
        JobStatus.Running => 1,
        JobStatus.Succeeded => 2,
        JobStatus.Failed => -1,
        JobStatus.Cancelled => -2,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The <c>msg</c> text; a failed job's is its error message.</summary>
    public static string Message(JobStatus status, string? errorMessage) => status switch
    {
        JobStatus.Pending => "Upload is queued.",
        JobStatus.Running => "Upload is in progress.",
        JobStatus.Succeeded => "Upload is complete.",
        JobStatus.Failed => errorMessage ?? "Upload failed.",
        JobStatus.Cancelled => "Upload was cancelled.",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
