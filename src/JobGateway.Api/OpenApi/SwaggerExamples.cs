using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobGateway.Core;
using JobGateway.Rest.Admin;
using JobGateway.Rest.Jobs;
using JobGateway.Rest.Worker;

namespace JobGateway.Api;

/// <summary>
/// The examples of the document. Every request example is a request that succeeds as shown (a test sends each
/// one), and every example is valid against its schema (Spectral checks). Where a seed document published a sample
/// it is the seed's (seed 004: Elastic Path's create job; seed 002: the 2sms AccountTaskRequest), with the values
/// the seed left as placeholders made real; the other examples are what the gateway answers.
/// </summary>
internal static class SwaggerExamples
{
    /// <summary>The worker in the worker API's examples: every call about a job names the worker that fetched it.</summary>
    public const string WorkerId = "tax-worker-1";

    /// <summary>The whole request body of a native, admin or worker operation, as its client sends it; null for operations without one.</summary>
    public static object? NativeRequest(string operationId) => operationId switch
    {
        "CreateJob" => new CreateJobRequest
        {
            Type = "billing-run",
            Name = "November billing",
            Payload = JsonDocument.Parse("""{"month":11,"currency":"USD"}""").RootElement,
            ExternalRef = "invoice-batch-42",
        },
        "CreateClient" => new CreateClientRequest { Name = "acme", Roles = ["client"] },
        "IssueClientKey" => new IssueKeyRequest { Name = "billing worker", Roles = ["worker"] },
        "SetClientWebhook" => new WebhookRequest { Url = "https://example.com/hooks/jobs", Notification = "ALWAYS" },
        "SetClientLimits" => new LimitsRequest { CreatesPerSecond = 100, CreateBurst = 500, MaxPendingJobs = 10_000 },
        "FetchJobs" => new FetchRequest { WorkerId = WorkerId, Types = ["tax-run"], MaxJobs = 1, LockSeconds = 60, WaitSeconds = 0 },
        "SendHeartbeat" => new HeartbeatRequest { WorkerId = WorkerId, Progress = 50, LockSeconds = 60 },
        "CompleteJob" => new CompleteRequest
        {
            WorkerId = WorkerId,
            Report = JsonDocument.Parse("""{"invoices_updated":42,"invoice_failures":0}""").RootElement,
        },
        "CompleteJobs" => new CompleteManyRequest
        {
            WorkerId = WorkerId,
            Jobs =
            [
                new JobCompletion
                {
                    Id = Guid.Parse("0193a4f0-6c2e-7d41-9b8a-5f3e2d1c0b9a"),
                    Report = JsonDocument.Parse("""{"invoices_updated":42,"invoice_failures":0}""").RootElement,
                },
            ],
        },
        "FailJob" => new FailRequest
        {
            WorkerId = WorkerId,
            Error = new WorkerError { Code = "upstream_timeout", Message = "The tax service did not answer.", Details = "GET /rates timed out after 30 s" },
            Retry = true,
        },
        "ConfirmJobCancelled" => new CancelledRequest { WorkerId = WorkerId },
        _ => null,
    };

    /// <summary>Seed 004, request body of "Create a job".</summary>
    public const string ElasticPathCreateRequest = """
        {
          "data": {
            "type": "subscription_job",
            "attributes": {
              "external_ref": "abc123",
              "job_type": "billing-run",
              "taxes": [
                {
                  "invoice_id": "11111111-2222-3333-4444-555555555555",
                  "tax_items": [
                    {
                      "type": "tax_item",
                      "name": "GST",
                      "code": "20.0 % S",
                      "rate": 0.2,
                      "jurisdiction": "USA"
                    }
                  ]
                }
              ]
            }
          }
        }
        """;

    /// <summary>Seed 004, the job in the 201 answer of "Create a job", without the plan <c>relationships</c> jobs do not have here.</summary>
    public const string ElasticPathJob = """
        {
          "id": "11111111-2222-3333-4444-555555555555",
          "type": "subscription_job",
          "attributes": {
            "external_ref": "abc123",
            "job_type": "billing-run",
            "taxes": [
              {
                "invoice_id": "11111111-2222-3333-4444-555555555555",
                "tax_items": [
                  {
                    "type": "tax_item",
                    "name": "GST",
                    "code": "20.0 % S",
                    "rate": 0.2,
                    "jurisdiction": "USA"
                  }
                ]
              }
            ],
            "status": "pending",
            "updated_at": "2017-01-10T11:41:19.244842Z",
            "created_at": "2017-01-10T11:41:19.244842Z"
          },
          "meta": {
            "owner": "store",
            "timestamps": {
              "updated_at": "2017-01-10T11:41:19.244842Z",
              "created_at": "2017-01-10T11:41:19.244842Z",
              "started_at": "2017-01-10T11:41:19.244842Z",
              "finished_at": "2017-01-10T11:41:19.244842Z"
            },
            "report": {
              "invoices_ready_for_payment": 100,
              "invoices_tax_required": 100,
              "invoice_failures": 0,
              "total_ready_for_payment": {
                "USD": {
                  "amount": 100,
                  "includes_tax": false
                },
                "GBP": {
                  "amount": 90,
                  "includes_tax": true
                }
              },
              "total_tax_required": {
                "USD": {
                  "amount": 100,
                  "includes_tax": false
                },
                "GBP": {
                  "amount": 90,
                  "includes_tax": true
                }
              }
            }
          }
        }
        """;

    /// <summary>Seed 004, the "missing-name" 400 example.</summary>
    public const string ElasticPathValidationError = """
        {
          "errors": [
            {
              "title": "Validation Error",
              "status": "400",
              "detail": "data.attributes.name: \"name\" is required"
            }
          ]
        }
        """;

    /// <summary>Seed 004, the 409 example.</summary>
    public const string ElasticPathWriteConflict = """
        {
          "errors": [
            {
              "title": "Write Conflict",
              "status": "409"
            }
          ]
        }
        """;

    /// <summary>Seed 004, the 500 example.</summary>
    public const string ElasticPathInternalError = """
        {
          "errors": [
            {
              "title": "Internal Server Error",
              "status": "500"
            }
          ]
        }
        """;

    /// <summary>
    /// Seed 002's AccountTaskRequest with values the gateway accepts: the seed's sample finishes when it starts and has
    /// "sample string" parameters and content type.
    /// </summary>
    public const string AccountTaskRequestJson = """
        { "TaskID": "282325b9-d725-4afd-b11e-3d3b60172acd", "Frequency": "DAILY", "StartDate": "2024-12-22T09:54:10.8226964+00:00", "FinishDate": "2025-12-22T09:54:10.8226964+00:00", "Parameters": "{\"report\":\"daily-usage\"}", "ContentType": "application/json", "Notification": "ON_FAILURE" }
        """;

    /// <summary>What the gateway answers to <see cref="AccountTaskRequestJson"/> (seed 002's ResponseOfAccountTaskResponse, as the gateway fills it).</summary>
    public const string AccountTaskResponseJson = """
        { "Error": null, "ResponseData": { "Identification": { "UserId": "acme" }, "Result": "Success", "Detail": { "ID": "1e0bfd78-0a12-44af-b227-f61b0b54c503", "TaskID": "282325b9-d725-4afd-b11e-3d3b60172acd", "Name": null, "Enabled": true, "Frequency": "DAILY", "StartDate": "2024-12-22T09:54:10.8226964+00:00", "FinishDate": "2025-12-22T09:54:10.8226964+00:00", "Parameters": "{\"report\":\"daily-usage\"}", "ContentType": "application/json", "Notification": "ON_FAILURE", "DateCreated": "2024-12-22T09:54:10.8292589+00:00", "DateModified": "2024-12-22T09:54:10.8292589+00:00", "LastRunOn": null, "LastRunBy": null, "LastModifiedBy": "acme", "Status": "Scheduled", "ClientID": "d7b9b998-dc1d-4520-be68-3742d70790d9" } } }
        """;

    /// <summary>The list answer: the task as the only item of a Detail array.</summary>
    public static JsonNode AccountTaskListJson()
    {
        var single = JsonNode.Parse(AccountTaskResponseJson)!;
        var detail = single["ResponseData"]!["Detail"]!.DeepClone();
        return new JsonObject
        {
            ["Error"] = null,
            ["ResponseData"] = new JsonObject
            {
                ["Identification"] = new JsonObject { ["UserId"] = "acme" },
                ["Result"] = "Success",
                ["Detail"] = new JsonArray(detail),
            },
        };
    }

    /// <summary>Elastic Path's list answer with the seed's job.</summary>
    public static JsonNode ElasticPathList() => new JsonObject
    {
        ["data"] = new JsonArray(JsonNode.Parse(ElasticPathJob)),
        ["links"] = new JsonObject
        {
            ["current"] = "/v2/subscriptions/jobs?page[offset]=0&page[limit]=25",
            ["first"] = "/v2/subscriptions/jobs?page[offset]=0&page[limit]=25",
            ["last"] = "/v2/subscriptions/jobs?page[offset]=0&page[limit]=25",
            ["prev"] = null,
            ["next"] = null,
        },
        ["meta"] = new JsonObject
        {
            ["page"] = new JsonObject { ["limit"] = 25, ["offset"] = 0, ["current"] = 1, ["total"] = 1 },
            ["results"] = new JsonObject { ["total"] = 1 },
        },
    };

    /// <summary>An Elastic Path error document for <paramref name="status"/>: the seed's where it has one.</summary>
    public static JsonNode ElasticPathError(int status, string operationId) => status switch
    {
        400 when operationId == "ListSubscriptionJobs" => Errors(status, "Could not parse the supplied filter", "'eq(external_ref,…' is missing its ')'."),
        400 => JsonNode.Parse(ElasticPathValidationError)!,
        401 => Errors(status, "Unable to validate access token", null),
        403 => Errors(status, "Forbidden", "This endpoint needs an API key with the client role; this key has the worker role."),
        404 => Errors(status, "Not Found", "No subscription job with id 11111111-2222-3333-4444-555555555555 was found."),
        409 => JsonNode.Parse(ElasticPathWriteConflict)!,
        413 => Errors(status, "Payload Too Large", "The request body is larger than the limit of 1048576 bytes."),
        415 => Errors(status, "Unsupported Media Type", "Send the body as application/json or application/vnd.api+json."),
        503 => Errors(status, "Service Unavailable", StoreFailureMessages.Message(StoreFailure.Unavailable)),
        507 => Errors(status, "Insufficient Storage", StoreFailureMessages.Message(StoreFailure.Full)),
        429 => Errors(status, "Too Many Requests", "Too many creates: this client may create 100 jobs a second (500 at once) and has used them up. Retry later."),
        _ => JsonNode.Parse(ElasticPathInternalError)!,
    };

    /// <summary>The 2sms error envelope for <paramref name="status"/> (code, reason).</summary>
    public static (string Code, string Reason) TwoSmsError(int status) => status switch
    {
        400 => ("validation_failed", "TaskID is required. ContentType must be application/xml or application/json."),
        401 => ("unauthorized", "A valid API key is required: send 'Authorization: Bearer <api key>'."),
        403 => ("client_not_found", "The calling client does not exist or is disabled; a client must be created (and enabled) before it has tasks."),
        404 => ("task_not_found", "No task with ID '1e0bfd78-0a12-44af-b227-f61b0b54c503' was found."),
        409 => ("task_exists", "A task with TaskID 282325b9-d725-4afd-b11e-3d3b60172acd exists already."),
        413 => ("body_too_large", "The request body is larger than the limit of 1048576 bytes."),
        415 => ("unsupported_media_type", "Send the AccountTaskRequest as application/json, text/json, application/xml, text/xml or application/x-www-form-urlencoded."),
        503 => (StoreFailureMessages.Code(StoreFailure.Unavailable), StoreFailureMessages.Message(StoreFailure.Unavailable)),
        507 => (StoreFailureMessages.Code(StoreFailure.Full), StoreFailureMessages.Message(StoreFailure.Full)),
        429 => ("too_many_pending", "Too many pending jobs: this client may have 10000 jobs waiting to run and has reached that. Retry later, once some have run."),
        _ => ("internal_error", "An internal error has occurred."),
    };

    public static JsonNode TwoSmsErrorJson(int status)
    {
        var (code, reason) = TwoSmsError(status);
        return new JsonObject { ["Error"] = new JsonObject { ["ErrorCode"] = code, ["ErrorReason"] = reason }, ["ResponseData"] = null };
    }

    private static JsonObject Errors(int status, string title, string? detail)
    {
        var error = new JsonObject { ["status"] = status.ToString(CultureInfo.InvariantCulture), ["title"] = title };
        if (detail is not null)
        {
            error["detail"] = detail;
        }

        return new JsonObject { ["errors"] = new JsonArray(error) };
    }
}
