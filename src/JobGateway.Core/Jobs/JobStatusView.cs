namespace JobGateway.Core.Jobs;

/// <summary>
/// What a status poll answers, read without the rest of the job: no payload (which may be large), no lease,
/// no bookkeeping. Status polls are the most frequent calls a job gateway serves; the legacy SOAP status
/// operations (DiscountASP <c>GetJobStatus</c>, MagnetMail <c>getUploadJobStatus</c>) need only these columns.
/// </summary>
/// <param name="Number">The job's number (MagnetMail's <c>jobid</c>).</param>
/// <param name="Id">The job's public id.</param>
/// <param name="Name">The job's display name, if any.</param>
/// <param name="Status">Its canonical status.</param>
/// <param name="Progress">Percent done, 0..100.</param>
/// <param name="Report">The handler's report, if any.</param>
/// <param name="ErrorCode">The last error's code, if any.</param>
/// <param name="ErrorMessage">The last error's message, if any.</param>
/// <param name="ErrorDetails">The last error's details, if any.</param>
/// <param name="CreatedAt">When it was accepted.</param>
/// <param name="StartedAt">When it last started running, if it has.</param>
/// <param name="FinishedAt">When it reached its final status, if it has.</param>
public sealed record JobStatusView(
    long Number,
    Guid Id,
    string? Name,
    JobStatus Status,
    int Progress,
    string? Report,
    string? ErrorCode,
    string? ErrorMessage,
    string? ErrorDetails,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>The status view of <paramref name="job"/>.</summary>
    public static JobStatusView Of(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(job.Number, job.Id, job.Name, job.Status, job.Progress, job.Report, job.ErrorCode, job.ErrorMessage,
            job.ErrorDetails, job.CreatedAt, job.StartedAt, job.FinishedAt);
    }
}
