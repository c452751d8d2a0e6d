namespace JobGateway.Persistence.Stores;

/// <summary>
/// The column lists of the hand-written job reads (SqliteJobRows, PostgresJobRows), in the order their mappers take
/// them. They must follow the model: the store tests compare what these reads return with what EF reads.
/// </summary>
internal static class JobColumns
{
    /// <summary>Every column of a job, in <c>Job.Restore</c>'s order.</summary>
    public const string All =
        "\"Number\", \"Id\", \"ClientId\", \"Type\", \"Name\", \"Payload\", \"ExternalRef\", \"IdempotencyKey\", \"RequestHash\", " +
        "\"Status\", \"Attempts\", \"Progress\", \"Report\", \"ErrorCode\", \"ErrorMessage\", \"ErrorDetails\", \"CreatedAt\", " +
        "\"UpdatedAt\", \"StartedAt\", \"FinishedAt\", \"RunAfter\", \"LeaseOwner\", \"LeaseExpiresAt\", \"CancellationRequested\", \"Version\"";

    /// <summary>The columns of a status poll, in <c>JobStatusView</c>'s order.</summary>
    public const string Status =
        "\"Number\", \"Id\", \"Name\", \"Status\", \"Progress\", \"Report\", \"ErrorCode\", \"ErrorMessage\", \"ErrorDetails\", " +
        "\"CreatedAt\", \"StartedAt\", \"FinishedAt\"";
}
