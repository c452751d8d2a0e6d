using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using JobGateway.Core.Jobs;
using JobGateway.Rest.Http;

namespace JobGateway.Rest.Jobs;

/// <summary>A request to run a job.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CreateJobRequest
{
    /// <summary>The job type, which decides how it runs (e.g. <c>billing-run</c>). Lower-case letters, digits, '.', '_' and '-'.</summary>
    /// <example>billing-run</example>
    [Required]
    public string? Type { get; set; }

    /// <summary>An optional human-readable name.</summary>
    /// <example>November billing</example>
    public string? Name { get; set; }

    /// <summary>Any JSON input for the job; stored and handed to the worker as received.</summary>
    public JsonElement? Payload { get; set; }

    /// <summary>Your own reference for the job, to find it again with <c>?externalRef=</c>.</summary>
    /// <example>invoice-batch-42</example>
    public string? ExternalRef { get; set; }

    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<CreateJobRequest?> BindAsync(Microsoft.AspNetCore.Http.HttpContext context) => BufferedBody.ReadJsonAsync<CreateJobRequest>(context);
}

/// <summary>A job and its state. Poll <c>GET /api/jobs/{id}</c> until <c>done</c> is true.</summary>
/// <param name="Id">Identifier.</param>
/// <param name="Number">Increasing number, unique in the gateway (what the SOAP surfaces call the job id).</param>
/// <param name="Type">Job type.</param>
/// <param name="Name">Name.</param>
/// <param name="Status"><c>pending</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="Done">Whether the status is terminal.</param>
/// <param name="ExternalRef">Your reference.</param>
/// <param name="Payload">The input.</param>
/// <param name="Attempts">How many times a worker has started it.</param>
/// <param name="Progress">0–100.</param>
/// <param name="CancellationRequested">Cancellation was asked for while it runs.</param>
/// <param name="Report">The result counters the worker reported.</param>
/// <param name="Error">Why it (or its last attempt) failed.</param>
/// <param name="CreatedAt">Created (UTC).</param>
/// <param name="UpdatedAt">Last changed (UTC).</param>
/// <param name="StartedAt">First started (UTC).</param>
/// <param name="FinishedAt">Reached a terminal status (UTC).</param>
public sealed record JobResponse(
    Guid Id,
    long Number,
    string Type,
    string? Name,
    string Status,
    bool Done,
    string? ExternalRef,
    RawJson? Payload,
    int Attempts,
    int Progress,
    bool CancellationRequested,
    RawJson? Report,
    JobErrorResponse? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    internal static JobResponse From(Job job) => new(
        job.Id,
        job.Number,
        job.Type,
        job.Name,
        NativeStatus.ToWord(job.Status),
        job.IsFinished,
        job.ExternalRef,
        RawJson.From(job.Payload),
        job.Attempts,
        job.Progress,
        job.CancellationRequested,
        RawJson.From(job.Report),
        job.Error is { } e ? new JobErrorResponse(e.Code, e.Message, e.Details) : null,
        job.CreatedAt,
        job.UpdatedAt,
        job.StartedAt,
        job.FinishedAt);
}

/// <summary>An error reported for a job.</summary>
/// <param name="Code">Machine-readable code.</param>
/// <param name="Message">Message.</param>
/// <param name="Details">Details.</param>
public sealed record JobErrorResponse(string Code, string Message, string? Details);

/// <summary>One page of jobs.</summary>
/// <param name="Items">The jobs, oldest first.</param>
/// <param name="NextPageToken">Pass as <c>pageToken</c> for the next page; null on the last page.</param>
public sealed record JobListResponse(IReadOnlyList<JobResponse> Items, string? NextPageToken);

/// <summary>The native API's status words.</summary>
public static class NativeStatus
{
    public static string ToWord(JobStatus status) => status switch
    {
        JobStatus.Pending => "pending",
        JobStatus.Running => "running",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static JobStatus? FromWord(string word) =>
        Enum.GetValues<JobStatus>().Cast<JobStatus?>().FirstOrDefault(s => string.Equals(ToWord(s!.Value), word, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One status change of a job and the state of its webhook.</summary>
/// <param name="Id">Event id (also the webhook's <c>id</c>).</param>
/// <param name="From">Status before.</param>
/// <param name="To">Status after.</param>
/// <param name="OccurredAt">When.</param>
/// <param name="Delivery"><c>pending</c>, <c>delivered</c>, <c>failed</c> or <c>not_required</c>.</param>
/// <param name="DeliveryAttempts">Delivery attempts made.</param>
/// <param name="NextAttemptAt">Next delivery attempt, while pending.</param>
/// <param name="DeliveredAt">When it was delivered.</param>
/// <param name="LastError">Why the last attempt failed.</param>
public sealed record JobEventResponse(long Id, string From, string To, DateTimeOffset OccurredAt, string Delivery, int DeliveryAttempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, string? LastError)
{
    internal static JobEventResponse Of(Core.Notifications.JobEvent e) => new(
        e.Id, NativeStatus.ToWord(e.FromStatus), NativeStatus.ToWord(e.ToStatus), e.OccurredAt, DeliveryWords.ToWord(e.State),
        e.Attempts, e.NextAttemptAt, e.DeliveredAt, e.LastError);
}

/// <summary>The words of a webhook delivery's state.</summary>
public static class DeliveryWords
{
    public static string ToWord(Core.Notifications.DeliveryState state) => state switch
    {
        Core.Notifications.DeliveryState.Pending => "pending",
        Core.Notifications.DeliveryState.Delivered => "delivered",
        Core.Notifications.DeliveryState.Failed => "failed",
        Core.Notifications.DeliveryState.NotRequired => "not_required",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
