using System.ComponentModel;
using System.ServiceModel;
using System.Xml.Serialization;
using JobGateway.Core;
using JobGateway.Core.Jobs;
using JobGateway.Soap.Asmx;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace JobGateway.Soap.DiscountAsp;

/// <summary>DiscountASP's CustomerApi (seed 001): <c>GetJobStatus</c> over SOAP 1.1 and 1.2, on the shared job store.</summary>
[ServiceContract(Name = "CustomerApi", Namespace = Namespace)]
[XmlSerializerFormat]
public sealed class CustomerApiService(IJobStore jobs, SoapCredentials credentials, IOptions<StatusWordOptions> words, IHttpContextAccessor http)
{
    public const string Namespace = "http://api.discountasp.net/";

    /// <summary>Any job of the key's client, by GUID. Unknown ids and other tenants' ids fault alike.</summary>
    [OperationContract(Name = "GetJobStatus")]
    [Description("Get the status on an asynchronous job")]
    public async Task<JobStatusResult> GetJobStatusAsync(string key, Guid jobId)
    {
        var cancellationToken = http.HttpContext?.RequestAborted ?? default;
        var credential = await credentials.RequireClientAsync(key, "key", cancellationToken);
        var job = await jobs.GetStatusAsync(credential.ClientId, jobId, cancellationToken)
            ?? throw SoapFaultException.Client($"No job with jobId {jobId} was found.");

        return new JobStatusResult
        {
            JobName = XmlSafeText.Of(job.Name ?? string.Empty),
            Status = DiscountAspStatus.Word(job.Status, words.Value.DiscountAsp),

            // A job that has not started yet reports when it was accepted: the element is not nillable.
            StartDateTime = (job.StartedAt ?? job.CreatedAt).UtcDateTime,
            CompletedDateTime = job.FinishedAt?.UtcDateTime,
            ErrorMessage = job.Status == JobStatus.Failed ? XmlSafeText.Of(job.ErrorMessage ?? string.Empty) : string.Empty,
        };
    }
}

/// <summary>
/// <c>GetJobStatusResult</c>, in the seed's shape: every element is always written (empty strings rather than
/// omitted ones), and <c>CompletedDateTime</c> is <c>xsi:nil</c> until the job finishes.
/// </summary>
[XmlType("JobStatusResult", Namespace = CustomerApiService.Namespace)]
public sealed class JobStatusResult
{
    public string JobName { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public DateTime StartDateTime { get; set; }

    [XmlElement(IsNullable = true)]
    public DateTime? CompletedDateTime { get; set; }

    public string ErrorMessage { get; set; } = string.Empty;
}
