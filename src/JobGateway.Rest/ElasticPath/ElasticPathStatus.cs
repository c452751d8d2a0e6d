using JobGateway.Core.Jobs;

namespace JobGateway.Rest.ElasticPath;

/// <summary>Elastic Path's job status words (DESIGN.md): pending, started, success, failed.</summary>
public static class ElasticPathStatus
{
    public const string Pending = "pending";
    public const string Started = "started";
    public const string Success = "success";
    public const string Failed = "failed";

    public static string ToWord(JobStatus status) => status switch
    {
        JobStatus.Pending => Pending,
        JobStatus.Running => Started,
        JobStatus.Succeeded => Success,
        JobStatus.Failed => Failed,
        // Elastic Path has no word for a cancelled job; it did not succeed, so it reads as failed.
        JobStatus.Cancelled => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Every canonical status that reads as <paramref name="word"/>; null for an unknown word.</summary>
    public static IReadOnlyList<JobStatus>? FromWord(string word)
    {
        var statuses = Enum.GetValues<JobStatus>().Where(s => string.Equals(ToWord(s), word, StringComparison.Ordinal)).ToArray();
        return statuses.Length == 0 ? null : statuses;
    }
}

/// <summary>The job types of Elastic Path subscription jobs; jobs of other types are not visible on this surface.</summary>
public static class ElasticPathJobTypes
{
    public const string BillingRun = "billing-run";
    public const string TaxRun = "tax-run";
    public const string PaymentRun = "payment-run";

    public static readonly IReadOnlyList<string> All = [BillingRun, TaxRun, PaymentRun];

    public static bool IsKnown(string? type) => type is BillingRun or TaxRun or PaymentRun;
}
