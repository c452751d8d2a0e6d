using JobGateway.Core.Jobs;
using JobGateway.Soap.Engine;
using Microsoft.Extensions.Logging;

namespace JobGateway.Soap.T2A;

/// <summary>Runs T2A's operations against the shared job store.</summary>
internal sealed partial class T2AOperations(IJobStore jobs, SoapCredentials credentials, ILogger<T2AOperations> logger)
{
    // The store's column for a job name (T2A's client label).
    private const int MaxClientLength = 1024;

    /// <summary>Creates a Pending <c>t2a</c> job owned by the key's client, named after <c>client</c>.</summary>
    public async Task<JobCreateResult> JobCreateAsync(JobCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credential = await credentials.RequireClientAsync(request.ApiKey, "api_key", cancellationToken);
        if (request.Client.Length > MaxClientLength)
        {
            throw SoapFaultException.Client($"Parameter client must be at most {MaxClientLength} characters.");
        }

        var result = await jobs.CreateAsync(new NewJob(credential.ClientId, T2AService.JobType, request.Client), cancellationToken);
        var job = result.Job ?? throw new InvalidOperationException($"The store did not create a job ({result.Outcome}).");
        LogCreated(job.Id, job.Number, credential.ClientId);
        return JobCreateResult.ForNumber(job.Number);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "T2A job_create created job {JobId} ({JobNumber}) for client {ClientId}")]
    private partial void LogCreated(Guid jobId, long jobNumber, Guid clientId);
}
