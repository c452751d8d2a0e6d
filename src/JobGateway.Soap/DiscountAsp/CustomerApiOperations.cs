using JobGateway.Core.Jobs;
using JobGateway.Soap.Engine;
using Microsoft.Extensions.Options;

namespace JobGateway.Soap.DiscountAsp;

/// <summary>Runs CustomerApi's operations against the shared job store.</summary>
internal sealed class CustomerApiOperations(IJobStore jobs, SoapCredentials credentials, IOptions<StatusWordOptions> words)
{
    /// <summary>Any job of the key's client, by GUID. Unknown ids and other tenants' ids fault alike.</summary>
    public async Task<JobStatusResult> GetJobStatusAsync(GetJobStatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credential = await credentials.RequireClientAsync(request.Key, "key", cancellationToken);
        var job = await jobs.GetStatusAsync(credential.ClientId, request.JobId, cancellationToken)
            ?? throw SoapFaultException.Client($"No job with jobId {request.JobId} was found.");

        return new JobStatusResult(
            job.Name ?? string.Empty,
            DiscountAspStatus.Word(job.Status, words.Value.DiscountAsp),
            // A job that has not started yet reports when it was accepted: the element is not nillable.
            job.StartedAt ?? job.CreatedAt,
            job.FinishedAt,
            job.Status == JobStatus.Failed ? job.ErrorMessage ?? string.Empty : string.Empty);
    }
}
