using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Xml.Serialization;
using JobGateway.Core;
using JobGateway.Core.Jobs;
using JobGateway.Soap.Asmx;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SoapCore.ServiceModel;

namespace JobGateway.Soap.MagnetMail;

/// <summary>
/// MagnetMail's ASMX service (seed 003): <c>getUploadJobStatus</c> over SOAP 1.1 and 1.2, authenticated by the
/// <c>mmAuthHeader</c> SOAP header, on the shared job store.
/// </summary>
/// <remarks>
/// <c>mmAuthHeader/sessionId</c> carries the gateway API key, which alone decides the tenant. <c>user_id</c>
/// (in the body, and optionally in the header) names a MagnetMail user inside that account: the gateway has no
/// users below a client, so it is required (like every parameter) but informational, echoed back in the
/// result and never used to authorise or to find the job. Legacy clients keep sending the user ids they have
/// without the operator having to rename tenants after them, and a key still sees only its own client's jobs.
/// </remarks>
[ServiceContract(Name = "MagnetMail_x0020_Web_x0020_Service", Namespace = Namespace)]
[XmlSerializerFormat]
public sealed class MagnetMailService(IJobStore jobs, SoapCredentials credentials, IOptions<StatusWordOptions> words, IHttpContextAccessor http)
{
    public const string Namespace = "http://www.magnetmail.net/";

    /// <summary>The request's SOAP headers, set by SoapCore before the operation runs.</summary>
    public MessageHeaders? MessageHeaders { get; set; }

    /// <summary>
    /// Any job of the key's client, by number. Unknown numbers and other tenants' numbers fault alike;
    /// <paramref name="userId"/> is echoed, never used.
    /// </summary>
    [OperationContract(Name = "getUploadJobStatus")]
    [Description("Takes a jobid and returns the status of an upload jobid.")]
    [mmAuthHeader]
    public async Task<UploadJobStatus> GetUploadJobStatusAsync([MessageParameter(Name = "user_id")] string userId, int jobid)
    {
        var cancellationToken = http.HttpContext?.RequestAborted ?? default;
        var header = AsmxHeaders.Read<mmAuthHeader>(MessageHeaders);
        var credential = await credentials.RequireClientAsync(header?.SessionId, "mmAuthHeader/sessionId", cancellationToken);
        var job = await jobs.GetStatusByNumberAsync(credential.ClientId, jobid, cancellationToken)
            ?? throw SoapFaultException.Client($"No upload job with jobid {jobid} was found.");

        var failed = job.Status == JobStatus.Failed;
        var report = UploadReport.Parse(job.Report);
        return new UploadJobStatus
        {
            CompleteDate = job.FinishedAt?.UtcDateTime,
            Error = failed ? 1 : 0,
            ErrorObj = failed
                ? new UploadError
                {
                    ErrorCode = XmlSafeText.Of(job.ErrorCode ?? string.Empty),
                    ErrorDetails = XmlSafeText.Of(job.ErrorDetails ?? string.Empty),
                    ErrorMessage = XmlSafeText.Of(job.ErrorMessage ?? string.Empty),
                    ErrorNumber = 1,
                    ErrorType = "JobFailed",
                }
                : new UploadError(),
            GoodRecords = report.Number("good_records"),
            GroupCount = report.Number("group_count"),
            GroupId = report.Number("groupid"),
            Header = report.Number("header"),
            JobId = job.Number,
            LoginId = report.Number("loginid"),
            MmFilename = XmlSafeText.Of(report.Text("mm_filename") ?? string.Empty),
            Msg = XmlSafeText.Of(MagnetMailStatus.Message(job.Status, job.ErrorMessage)),
            NewAdded = report.Number("new_added"),
            OldUpdated = report.Number("old_updated"),
            ReplaceGroup = report.Number("replace_group"),
            Status = MagnetMailStatus.Code(job.Status, words.Value.MagnetMail),
            TotalRecords = report.Number("total_records"),
            UpdateDups = report.Number("update_dups"),
            UploadDate = job.CreatedAt.UtcDateTime,
            UserFilename = XmlSafeText.Of(report.Text("user_filename") ?? job.Name ?? string.Empty),
            UserId = userId,
        };
    }
}

/// <summary>
/// The <c>mmAuthHeader</c> SOAP header: on the operation it declares the header to SoapCore (which names the WSDL's
/// header element and message after this class); read from the request, it carries the API key.
/// </summary>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Not applicable.")]
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "The class name is the seed's header element name.")]
[AttributeUsage(AttributeTargets.Method)]
[XmlType("mmAuthHeader", Namespace = MagnetMailService.Namespace)]
public sealed class mmAuthHeader : SoapHeaderAttribute
{
    [XmlElement("sessionId")]
    public string? SessionId { get; set; }

    [XmlElement("user_id")]
    public string? UserId { get; set; }
}

/// <summary><c>errorObj</c>: filled when the job failed, empty (but present, as the seed shows it) otherwise.</summary>
[XmlType("ErrorObject", Namespace = MagnetMailService.Namespace)]
public sealed class UploadError
{
    [XmlElement("errorCode")]
    public string ErrorCode { get; set; } = string.Empty;

    [XmlElement("errorDetails")]
    public string ErrorDetails { get; set; } = string.Empty;

    [XmlElement("errorMessage")]
    public string ErrorMessage { get; set; } = string.Empty;

    [XmlElement("errorNumber")]
    public double ErrorNumber { get; set; }

    [XmlElement("errorType")]
    public string ErrorType { get; set; } = string.Empty;
}

/// <summary>
/// <c>getUploadJobStatusResult</c>, every field of the seed in the seed's order. The counters are what a worker
/// reported in the job's report, by the seed's element names (see <see cref="UploadReport"/>).
/// </summary>
[XmlType("UploadJobStatus", Namespace = MagnetMailService.Namespace)]
public sealed class UploadJobStatus
{
    [XmlElement("complete_date", IsNullable = true)]
    public DateTime? CompleteDate { get; set; }

    [XmlElement("error")]
    public double Error { get; set; }

    [XmlElement("errorObj")]
    public UploadError ErrorObj { get; set; } = new();

    [XmlElement("good_records")]
    public double GoodRecords { get; set; }

    [XmlElement("group_count")]
    public double GroupCount { get; set; }

    [XmlElement("groupid")]
    public double GroupId { get; set; }

    [XmlElement("header")]
    public double Header { get; set; }

    [XmlElement("jobid")]
    public double JobId { get; set; }

    [XmlElement("loginid")]
    public double LoginId { get; set; }

    [XmlElement("mm_filename")]
    public string MmFilename { get; set; } = string.Empty;

    [XmlElement("msg")]
    public string Msg { get; set; } = string.Empty;

    [XmlElement("new_added")]
    public double NewAdded { get; set; }

    [XmlElement("old_updated")]
    public double OldUpdated { get; set; }

    [XmlElement("replace_group")]
    public double ReplaceGroup { get; set; }

    [XmlElement("status")]
    public double Status { get; set; }

    [XmlElement("total_records")]
    public double TotalRecords { get; set; }

    [XmlElement("update_dups")]
    public double UpdateDups { get; set; }

    [XmlElement("upload_date")]
    public DateTime UploadDate { get; set; }

    [XmlElement("user_filename")]
    public string UserFilename { get; set; } = string.Empty;

    [XmlElement("user_id")]
    public string UserId { get; set; } = string.Empty;
}
