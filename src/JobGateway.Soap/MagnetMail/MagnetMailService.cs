using JobGateway.Soap.Engine;

namespace JobGateway.Soap.MagnetMail;

/// <summary>
/// MagnetMail's ASMX service (seed 003): <c>getUploadJobStatus</c> over SOAP 1.1 and 1.2, authenticated by the
/// <c>mmAuthHeader</c> SOAP header.
/// </summary>
/// <remarks>
/// <c>mmAuthHeader/sessionId</c> carries the gateway API key, which alone decides the tenant. <c>user_id</c>
/// (in the body, and optionally in the header) names a MagnetMail user inside that account: the gateway has no
/// users below a client, so it is required (like every parameter) but informational, echoed back in the
/// result and never used to authorise or to find the job. Legacy clients keep sending the user ids they have
/// without the operator having to rename tenants after them, and a key still sees only its own client's jobs.
/// </remarks>
internal static class MagnetMailService
{
    public static readonly SoapHeader AuthHeader = new(
        "mmAuthHeader",
        SoapParameter.String("sessionId"),
        SoapParameter.String("user_id"));

    public static readonly SoapServiceDescription Description = new()
    {
        Name = "MagnetMail Web Service",
        Namespace = "http://www.magnetmail.net/",
        Path = "/mmapi.asmx",
        Bindings = SoapBindings.Soap,
        Operations =
        [
            new SoapOperation<MagnetMailOperations, UploadJobStatusRequest, UploadJobStatus>
            {
                Name = "getUploadJobStatus",
                Documentation = "Takes a jobid and returns the status of an upload jobid.",
                Parameters = [SoapParameter.String("user_id"), SoapParameter.Int("jobid")],
                Headers = [AuthHeader],
                Result = UploadJobStatus.Type,
                Bind = a => new UploadJobStatusRequest(
                    a.RequiredHeader(AuthHeader).OptionalString("sessionId"),
                    a.String("user_id"),
                    a.Int32("jobid")),
                Invoke = (operations, request, cancellationToken) => operations.GetUploadJobStatusAsync(request, cancellationToken),
            },
        ],
    };
}

/// <summary>A <c>getUploadJobStatus</c> request.</summary>
/// <param name="SessionId">The API key from <c>mmAuthHeader</c>.</param>
/// <param name="UserId">The MagnetMail user id: informational, echoed back.</param>
/// <param name="JobId">The job's number.</param>
internal sealed record UploadJobStatusRequest(string? SessionId, string UserId, int JobId);

/// <summary><c>errorObj</c>: filled when the job failed, empty (but present, as the seed shows it) otherwise.</summary>
internal sealed record UploadError(string ErrorCode, string ErrorDetails, string ErrorMessage, double ErrorNumber, string ErrorType)
{
    public static readonly UploadError None = new(string.Empty, string.Empty, string.Empty, 0, string.Empty);

    public static readonly SoapComplexType<UploadError> Type = new(
        "ErrorObject",
        SoapMember<UploadError>.String("errorCode", e => e.ErrorCode),
        SoapMember<UploadError>.String("errorDetails", e => e.ErrorDetails),
        SoapMember<UploadError>.String("errorMessage", e => e.ErrorMessage),
        SoapMember<UploadError>.Double("errorNumber", e => e.ErrorNumber),
        SoapMember<UploadError>.String("errorType", e => e.ErrorType));
}

/// <summary><c>getUploadJobStatusResult</c>, every field of the seed in the seed's order.</summary>
internal sealed record UploadJobStatus
{
    public static readonly SoapComplexType<UploadJobStatus> Type = new(
        "UploadJobStatus",
        SoapMember<UploadJobStatus>.NullableDateTime("complete_date", r => r.CompleteDate),
        SoapMember<UploadJobStatus>.Double("error", r => r.Error),
        SoapMember<UploadJobStatus>.Complex("errorObj", UploadError.Type, r => r.ErrorObj),
        SoapMember<UploadJobStatus>.Double("good_records", r => r.Counter("good_records")),
        SoapMember<UploadJobStatus>.Double("group_count", r => r.Counter("group_count")),
        SoapMember<UploadJobStatus>.Double("groupid", r => r.Counter("groupid")),
        SoapMember<UploadJobStatus>.Double("header", r => r.Counter("header")),
        SoapMember<UploadJobStatus>.Double("jobid", r => r.JobId),
        SoapMember<UploadJobStatus>.Double("loginid", r => r.Counter("loginid")),
        SoapMember<UploadJobStatus>.String("mm_filename", r => r.MmFilename),
        SoapMember<UploadJobStatus>.String("msg", r => r.Msg),
        SoapMember<UploadJobStatus>.Double("new_added", r => r.Counter("new_added")),
        SoapMember<UploadJobStatus>.Double("old_updated", r => r.Counter("old_updated")),
        SoapMember<UploadJobStatus>.Double("replace_group", r => r.Counter("replace_group")),
        SoapMember<UploadJobStatus>.Double("status", r => r.Status),
        SoapMember<UploadJobStatus>.Double("total_records", r => r.Counter("total_records")),
        SoapMember<UploadJobStatus>.Double("update_dups", r => r.Counter("update_dups")),
        SoapMember<UploadJobStatus>.DateTime("upload_date", r => r.UploadDate),
        SoapMember<UploadJobStatus>.String("user_filename", r => r.UserFilename),
        SoapMember<UploadJobStatus>.String("user_id", r => r.UserId));

    public DateTimeOffset? CompleteDate { get; init; }

    public double Error { get; init; }

    public required UploadError ErrorObj { get; init; }

    public double JobId { get; init; }

    public required string MmFilename { get; init; }

    public required string Msg { get; init; }

    public double Status { get; init; }

    public DateTimeOffset UploadDate { get; init; }

    public required string UserFilename { get; init; }

    public required string UserId { get; init; }

    /// <summary>The record counters a worker reported, by the seed's element names.</summary>
    public required UploadReport Report { get; init; }

    private double Counter(string name) => Report.Number(name);
}
