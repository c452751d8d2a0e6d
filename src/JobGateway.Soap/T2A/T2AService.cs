using System.ComponentModel;
using System.Globalization;
using System.ServiceModel;
using System.Xml.Serialization;
using JobGateway.Core.Jobs;
using JobGateway.Soap.Asmx;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JobGateway.Soap.T2A;

/// <summary>
/// T2A's ASMX service (seed 000): <c>job_create</c> over SOAP 1.1, SOAP 1.2, HTTP GET and HTTP POST, on the
/// shared job store.
/// </summary>
[ServiceContract(Name = "T2A", Namespace = Namespace)]
[XmlSerializerFormat]
public sealed partial class T2AService(
    IJobStore jobs, IJobCreateLimits limits, SoapCredentials credentials, IHttpContextAccessor http, ILogger<T2AService> logger)
{
    public const string Namespace = "https://api.t2a.io/soap";

    /// <summary>The type of the jobs this service creates.</summary>
    public const string JobType = "t2a";

    // The store's column for a job name (T2A's client label).
    private const int MaxClientLength = 1024;

    /// <summary>Creates a Pending <c>t2a</c> job owned by the key's client, named after <paramref name="client"/>.</summary>
    [OperationContract(Name = "job_create")]
    [Description("Create a T2A asynchronous job")]
    public async Task<JobCreateResult> JobCreateAsync([MessageParameter(Name = "api_key")] string apiKey, string client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var cancellationToken = http.HttpContext?.RequestAborted ?? default;
        var credential = await credentials.RequireClientAsync(apiKey, "api_key", cancellationToken);
        if (client.Length > MaxClientLength)
        {
            throw SoapFaultException.Client($"Parameter client must be at most {MaxClientLength} characters.");
        }

        // The key travels in the message, so the create is limited here, once the key is known, and not by the rate
        // limiting middleware in front of the REST surfaces: the same per-client budget (IJobCreateLimits), one call
        // for SOAP 1.1, SOAP 1.2, HTTP GET and HTTP POST alike.
        if (await limits.AdmitAsync(credential, cancellationToken) is { } refusal)
        {
            throw SoapFaultException.RetryLater(refusal.Message, refusal.RetryAfterSeconds);
        }

        var result = await jobs.CreateAsync(new NewJob(credential.ClientId, JobType, client) { Surface = JobSurface.SoapT2A }, cancellationToken);
        var job = result.Job ?? throw new InvalidOperationException($"The store did not create a job ({result.Outcome}).");
        LogCreated(job.Id, job.Number, credential.ClientId);
        return JobCreateResult.ForNumber(job.Number);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "T2A job_create created job {JobId} ({JobNumber}) for client {ClientId}")]
    private partial void LogCreated(Guid jobId, long jobNumber, Guid clientId);
}

/// <summary>
/// <c>job_create_res</c>, the created job by number: <c>job_id</c> is the number zero-padded to twelve digits
/// (wider numbers are written in full), <c>job_id_raw</c> the plain decimal number. Both are strings, as the seed
/// types them. Also the root element of the HTTP GET and POST replies.
/// </summary>
[XmlType("job_create_res", Namespace = T2AService.Namespace)]
public sealed class JobCreateResult
{
    [XmlElement("job_id")]
    public string JobId { get; set; } = string.Empty;

    [XmlElement("job_id_raw")]
    public string JobIdRaw { get; set; } = string.Empty;

    public static JobCreateResult ForNumber(long number) => new()
    {
        JobId = number.ToString("D12", CultureInfo.InvariantCulture),
        JobIdRaw = number.ToString(CultureInfo.InvariantCulture),
    };
}
