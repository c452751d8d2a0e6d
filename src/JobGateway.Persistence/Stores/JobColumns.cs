namespace JobGateway.Persistence.Stores;

/// <summary>
/// The hand-written single-job reads of both providers (SqliteJobRows, PostgresJobRows) and their column lists, in
/// the order the mappers take them. They must follow the model: the store tests compare what these reads return
/// with what EF reads. The parameters are $1 (the id or the number) and $2 (the client); SQLite and PostgreSQL
/// both bind them by position.
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

    /// <summary>The whole job with id $1 of client $2.</summary>
    public const string SelectById = $"SELECT {All} FROM \"Jobs\" WHERE \"Id\" = $1 AND \"ClientId\" = $2 LIMIT 1";

    /// <summary>The whole job numbered $1 of client $2.</summary>
    public const string SelectByNumber = $"SELECT {All} FROM \"Jobs\" WHERE \"Number\" = $1 AND \"ClientId\" = $2 LIMIT 1";

    /// <summary>The status columns of the job with id $1 of client $2.</summary>
    public const string SelectStatusById = $"SELECT {Status} FROM \"Jobs\" WHERE \"Id\" = $1 AND \"ClientId\" = $2 LIMIT 1";

    /// <summary>The status columns of the job numbered $1 of client $2.</summary>
    public const string SelectStatusByNumber = $"SELECT {Status} FROM \"Jobs\" WHERE \"Number\" = $1 AND \"ClientId\" = $2 LIMIT 1";
}
