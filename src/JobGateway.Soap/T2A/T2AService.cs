using System.Globalization;
using JobGateway.Soap.Engine;

namespace JobGateway.Soap.T2A;

/// <summary>
/// T2A's ASMX service (seed 000): <c>job_create</c> over SOAP 1.1, SOAP 1.2, HTTP GET and HTTP POST.
/// </summary>
internal static class T2AService
{
    /// <summary>The type of the jobs this service creates.</summary>
    public const string JobType = "t2a";

    public static readonly SoapServiceDescription Description = new()
    {
        Name = "T2A",
        Namespace = "https://api.t2a.io/soap",
        Path = "/soap/t2a.asmx",
        Bindings = SoapBindings.All,
        Operations =
        [
            new SoapOperation<T2AOperations, JobCreateRequest, JobCreateResult>
            {
                Name = "job_create",
                Documentation = "Create a T2A asynchronous job",
                Parameters = [SoapParameter.String("api_key"), SoapParameter.String("client")],
                Result = JobCreateResult.Type,
                Bind = a => new JobCreateRequest(a.String("api_key"), a.String("client")),
                Invoke = (operations, request, cancellationToken) => operations.JobCreateAsync(request, cancellationToken),
            },
        ],
    };
}

/// <summary>A <c>job_create</c> request.</summary>
/// <param name="ApiKey">The caller's API key.</param>
/// <param name="Client">T2A's client label, stored as the job's name.</param>
internal sealed record JobCreateRequest(string ApiKey, string Client);

/// <summary>
/// The created job, by number: <c>job_id</c> is the number zero-padded to twelve digits (wider numbers are
/// written in full), <c>job_id_raw</c> the plain decimal number. Both are strings, as the seed types them.
/// </summary>
/// <param name="JobId">The fixed-width text form.</param>
/// <param name="JobIdRaw">The decimal number.</param>
internal sealed record JobCreateResult(string JobId, string JobIdRaw)
{
    /// <summary><c>job_create_res</c>: also the root element of the HTTP GET and POST replies.</summary>
    public static readonly SoapComplexType<JobCreateResult> Type = new(
        "job_create_res",
        SoapMember<JobCreateResult>.String("job_id", r => r.JobId),
        SoapMember<JobCreateResult>.String("job_id_raw", r => r.JobIdRaw));

    public static JobCreateResult ForNumber(long number) => new(
        number.ToString("D12", CultureInfo.InvariantCulture),
        number.ToString(CultureInfo.InvariantCulture));
}
