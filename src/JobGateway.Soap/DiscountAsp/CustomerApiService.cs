using JobGateway.Soap.Engine;

namespace JobGateway.Soap.DiscountAsp;

/// <summary>DiscountASP's CustomerApi (seed 001): <c>GetJobStatus</c> over SOAP 1.1 and 1.2.</summary>
internal static class CustomerApiService
{
    public static readonly SoapServiceDescription Description = new()
    {
        Name = "CustomerApi",
        Namespace = "http://api.discountasp.net/",
        Path = "/1.0/customerapi.asmx",
        Bindings = SoapBindings.Soap,
        Operations =
        [
            new SoapOperation<CustomerApiOperations, GetJobStatusRequest, JobStatusResult>
            {
                Name = "GetJobStatus",
                Documentation = "Get the status on an asynchronous job",
                Parameters = [SoapParameter.String("key"), SoapParameter.Guid("jobId")],
                Result = JobStatusResult.Type,
                Bind = a => new GetJobStatusRequest(a.String("key"), a.Guid("jobId")),
                Invoke = (operations, request, cancellationToken) => operations.GetJobStatusAsync(request, cancellationToken),
            },
        ],
    };
}

/// <summary>A <c>GetJobStatus</c> request.</summary>
/// <param name="Key">The caller's API key.</param>
/// <param name="JobId">The job's id (its GUID), whichever surface created it.</param>
internal sealed record GetJobStatusRequest(string Key, Guid JobId);

/// <summary>
/// <c>GetJobStatusResult</c>, in the seed's shape: every element is always written (empty strings rather than
/// omitted ones), and <c>CompletedDateTime</c> is <c>xsi:nil</c> until the job finishes.
/// </summary>
internal sealed record JobStatusResult(
    string JobName,
    string Status,
    DateTimeOffset StartDateTime,
    DateTimeOffset? CompletedDateTime,
    string ErrorMessage)
{
    public static readonly SoapComplexType<JobStatusResult> Type = new(
        "JobStatusResult",
        SoapMember<JobStatusResult>.String("JobName", r => r.JobName),
        SoapMember<JobStatusResult>.String("Status", r => r.Status),
        SoapMember<JobStatusResult>.DateTime("StartDateTime", r => r.StartDateTime),
        SoapMember<JobStatusResult>.NullableDateTime("CompletedDateTime", r => r.CompletedDateTime),
        SoapMember<JobStatusResult>.String("ErrorMessage", r => r.ErrorMessage));
}
