using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Rest.AccountTasks;

// Names, casing and order are seed 002's, in JSON and XML alike; the JSON names are spelled out per member
// so that the host's camelCase options and Swagger's schemas keep them.

/// <summary>
/// The details of a task to register or replace (seed 002's AccountTaskRequest). Read as sent, as text: the
/// enums may be names or numbers and every rule is checked by <see cref="AccountTaskRequestValidator"/>, so a
/// wrong value is reported in the 2sms envelope whatever the body's format.
/// </summary>
public sealed class AccountTaskRequest
{
    /// <summary>The ID of the task to be registered (a GUID, unique per client). Required.</summary>
    /// <example>282325b9-d725-4afd-b11e-3d3b60172acd</example>
    [JsonPropertyName("TaskID")]
    [Required]
    public string? TaskID { get; init; }

    /// <summary>How often the task should run: NONE (0), HOURLY (1), DAILY (2), WEEKLY (3), MONTHLY (4). Required.</summary>
    /// <example>NONE</example>
    [JsonPropertyName("Frequency")]
    [Required]
    public string? Frequency { get; init; }

    /// <summary>When the task should start running (ISO 8601).</summary>
    /// <example>2024-12-22T09:54:10.8226964+00:00</example>
    [JsonPropertyName("StartDate")]
    public string? StartDate { get; init; }

    /// <summary>When the task should stop running (ISO 8601, after StartDate).</summary>
    /// <example>2024-12-23T09:54:10.8226964+00:00</example>
    [JsonPropertyName("FinishDate")]
    public string? FinishDate { get; init; }

    /// <summary>The parameters for the task, in ContentType's format. Required.</summary>
    /// <example>{"report":"daily-usage"}</example>
    [JsonPropertyName("Parameters")]
    [Required]
    public string? Parameters { get; init; }

    /// <summary>The format the parameters are in: application/xml or application/json. Required.</summary>
    /// <example>application/json</example>
    [JsonPropertyName("ContentType")]
    [Required]
    public string? ContentType { get; init; }

    /// <summary>Which run outcomes notify you: NONE (0), ON_SUCCESS (1), ON_FAILURE (2), ALWAYS (3). Default NONE.</summary>
    /// <example>NONE</example>
    [JsonPropertyName("Notification")]
    public string? Notification { get; init; }

    /// <summary>An optional display name (not in the published contract; at most 1024 characters).</summary>
    [JsonPropertyName("Name")]
    public string? Name { get; init; }

    /// <summary>Reads the body as JSON, XML or a form, per its Content-Type.</summary>
    public static ValueTask<AccountTaskRequest?> BindAsync(HttpContext context) => AccountTaskRequestReader.ReadAsync(context);
}

/// <summary>The answer to every call on one task (seed 002's ResponseOfAccountTaskResponse).</summary>
/// <param name="Error">Set when the call failed; null otherwise.</param>
/// <param name="ResponseData">Set when the call succeeded; null otherwise.</param>
public sealed record ResponseOfAccountTaskResponse(
    [property: JsonPropertyName("Error")] AccountTaskError? Error,
    [property: JsonPropertyName("ResponseData")] ResponseDataOfAccountTaskResponse? ResponseData)
{
    public const string XmlName = nameof(ResponseOfAccountTaskResponse);
}

/// <summary>The answer to the list call: the same envelope with a list of tasks as its Detail.</summary>
/// <param name="Error">Set when the call failed; null otherwise.</param>
/// <param name="ResponseData">Set when the call succeeded; null otherwise.</param>
public sealed record ResponseOfArrayOfAccountTaskResponse(
    [property: JsonPropertyName("Error")] AccountTaskError? Error,
    [property: JsonPropertyName("ResponseData")] ResponseDataOfArrayOfAccountTaskResponse? ResponseData)
{
    public const string XmlName = nameof(ResponseOfArrayOfAccountTaskResponse);
}

/// <summary>Why a call failed.</summary>
/// <param name="ErrorCode">
/// A stable code: validation_failed, bad_request, unauthorized, forbidden, client_not_found, task_not_found,
/// task_exists, body_too_large, unsupported_media_type, internal_error.
/// </param>
/// <param name="ErrorReason">What was wrong, for a human.</param>
public sealed record AccountTaskError(
    [property: JsonPropertyName("ErrorCode")] string ErrorCode,
    [property: JsonPropertyName("ErrorReason")] string ErrorReason);

/// <summary>The data of a successful call on one task.</summary>
/// <param name="Identification">Who called.</param>
/// <param name="Result">Always <c>Success</c>.</param>
/// <param name="Detail">The task.</param>
public sealed record ResponseDataOfAccountTaskResponse(
    [property: JsonPropertyName("Identification")] Identification Identification,
    [property: JsonPropertyName("Result")] string Result,
    [property: JsonPropertyName("Detail")] AccountTaskResponse Detail);

/// <summary>The data of a successful list call.</summary>
/// <param name="Identification">Who called.</param>
/// <param name="Result">Always <c>Success</c>.</param>
/// <param name="Detail">The tasks, oldest first (XML: one AccountTaskResponse element each).</param>
public sealed record ResponseDataOfArrayOfAccountTaskResponse(
    [property: JsonPropertyName("Identification")] Identification Identification,
    [property: JsonPropertyName("Result")] string Result,
    [property: JsonPropertyName("Detail")] IReadOnlyList<AccountTaskResponse> Detail);

/// <summary>Who called.</summary>
/// <param name="UserId">The calling client's name.</param>
public sealed record Identification([property: JsonPropertyName("UserId")] string UserId);

/// <summary>A registered task.</summary>
/// <param name="ID">The gateway's id of the task (use it in the URLs).</param>
/// <param name="TaskID">Your id of the task.</param>
/// <param name="Name">Display name.</param>
/// <param name="Enabled">Whether the scheduler runs it.</param>
/// <param name="Frequency">NONE, HOURLY, DAILY, WEEKLY or MONTHLY.</param>
/// <param name="StartDate">When it starts running.</param>
/// <param name="FinishDate">When it stops running.</param>
/// <param name="Parameters">The parameters as sent.</param>
/// <param name="ContentType">application/json or application/xml.</param>
/// <param name="Notification">NONE, ON_SUCCESS, ON_FAILURE or ALWAYS.</param>
/// <param name="DateCreated">When it was registered.</param>
/// <param name="DateModified">When it last changed.</param>
/// <param name="LastRunOn">When it last ran.</param>
/// <param name="LastRunBy">Who started the last run: <c>scheduler</c> or a client's name.</param>
/// <param name="LastModifiedBy">The client that last changed it.</param>
/// <param name="Status">Scheduled, Running, Completed, Failed, Cancelled (the last run's), or Disabled.</param>
/// <param name="ClientID">The owning client.</param>
public sealed record AccountTaskResponse(
    [property: JsonPropertyName("ID")] Guid ID,
    [property: JsonPropertyName("TaskID")] Guid TaskID,
    [property: JsonPropertyName("Name")] string? Name,
    [property: JsonPropertyName("Enabled")] bool Enabled,
    [property: JsonPropertyName("Frequency")] string Frequency,
    [property: JsonPropertyName("StartDate")] DateTimeOffset? StartDate,
    [property: JsonPropertyName("FinishDate")] DateTimeOffset? FinishDate,
    [property: JsonPropertyName("Parameters")] string Parameters,
    [property: JsonPropertyName("ContentType")] string ContentType,
    [property: JsonPropertyName("Notification")] string Notification,
    [property: JsonPropertyName("DateCreated")] DateTimeOffset DateCreated,
    [property: JsonPropertyName("DateModified")] DateTimeOffset DateModified,
    [property: JsonPropertyName("LastRunOn")] DateTimeOffset? LastRunOn,
    [property: JsonPropertyName("LastRunBy")] string? LastRunBy,
    [property: JsonPropertyName("LastModifiedBy")] string? LastModifiedBy,
    [property: JsonPropertyName("Status")] string Status,
    [property: JsonPropertyName("ClientID")] Guid ClientID)
{
    public const string XmlName = nameof(AccountTaskResponse);
}
