using JobGateway.Core.Jobs;
using JobGateway.Soap.Engine;
using Microsoft.Extensions.Options;

namespace JobGateway.Soap.MagnetMail;

/// <summary>Runs MagnetMail's operations against the shared job store.</summary>
internal sealed class MagnetMailOperations(IJobStore jobs, SoapCredentials credentials, IOptions<StatusWordOptions> words)
{
    /// <summary>
    /// Any job of the key's client, by number. Unknown numbers and other tenants' numbers fault alike;
    /// <c>user_id</c> is echoed, never used (see <see cref="MagnetMailService"/>).
    /// </summary>
    public async Task<UploadJobStatus> GetUploadJobStatusAsync(UploadJobStatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credential = await credentials.RequireClientAsync(request.SessionId, "mmAuthHeader/sessionId", cancellationToken);
        var job = await jobs.GetStatusByNumberAsync(credential.ClientId, request.JobId, cancellationToken)
            ?? throw SoapFaultException.Client($"No upload job with jobid {request.JobId} was found.");

        var failed = job.Status == JobStatus.Failed;
        var report = UploadReport.Parse(job.Report);
        return new UploadJobStatus
        {
            CompleteDate = job.FinishedAt,
            Error = failed ? 1 : 0,
            ErrorObj = failed
                ? new UploadError(job.ErrorCode ?? string.Empty, job.ErrorDetails ?? string.Empty, job.ErrorMessage ?? string.Empty, 1, "JobFailed")
                : UploadError.None,
            JobId = job.Number,
            MmFilename = report.Text("mm_filename") ?? string.Empty,
            Msg = MagnetMailStatus.Message(job.Status, job.ErrorMessage),
            Status = MagnetMailStatus.Code(job.Status, words.Value.MagnetMail),
            UploadDate = job.CreatedAt,
            UserFilename = report.Text("user_filename") ?? job.Name ?? string.Empty,
            UserId = request.UserId,
            Report = report,
        };
    }
}
