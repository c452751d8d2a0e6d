using System.Globalization;
using System.Text.Json.Nodes;

namespace JobGateway.Api;

/// <summary>
/// The request and response examples Swagger UI shows for the vendor surfaces. Where a seed document
/// published a sample it is copied here verbatim (seed 004: Elastic Path's create job; seed 002: the 2sms
/// AccountTaskRequest and ResponseOfAccountTaskResponse), so operators compare like with like; the other
/// examples are what the gateway answers.
/// </summary>
internal static class SwaggerExamples
{
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

    /// <summary>Seed 004, the job in the 201 answer of "Create a job".</summary>
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
          "relationships": {
            "plans": {
              "links": {
                "related": "/offerings/:offering-id/plans",
                "self": "/offerings/:offering-id"
              },
              "data": {
                "type": "offering-plan",
                "id": "625fe958-7b4b-40a0-a2c0-dbb8f31eec0d"
              }
            }
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

    /// <summary>Seed 002, the JSON sample of AccountTaskRequest.</summary>
    public const string AccountTaskRequestJson = """
        { "TaskID": "282325b9-d725-4afd-b11e-3d3b60172acd", "Frequency": 0, "StartDate": "2024-12-22T09:54:10.8226964+00:00", "FinishDate": "2024-12-22T09:54:10.8226964+00:00", "Parameters": "sample string 3", "ContentType": "sample string 4", "Notification": 0 }
        """;

    /// <summary>Seed 002, the XML sample of AccountTaskRequest.</summary>
    public const string AccountTaskRequestXml = """
        <AccountTaskRequest xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"> <TaskID>282325b9-d725-4afd-b11e-3d3b60172acd</TaskID> <Frequency>NONE</Frequency> <StartDate>2024-12-22T09:54:10.8226964+00:00</StartDate> <FinishDate>2024-12-22T09:54:10.8226964+00:00</FinishDate> <Parameters>sample string 3</Parameters> <ContentType>sample string 4</ContentType> <Notification>NONE</Notification> </AccountTaskRequest>
        """;

    /// <summary>Seed 002, the JSON sample of ResponseOfAccountTaskResponse.</summary>
    public const string AccountTaskResponseJson = """
        { "Error": { "ErrorCode": "sample string 1", "ErrorReason": "sample string 2" }, "ResponseData": { "Identification": { "UserId": "sample string 1" }, "Result": "sample string 1", "Detail": { "ID": "1e0bfd78-0a12-44af-b227-f61b0b54c503", "TaskID": "cfebc9b2-19e1-47db-8f1e-7ae01a7a2f13", "Name": "sample string 3", "Enabled": true, "Frequency": "sample string 5", "StartDate": "2024-12-22T09:54:10.8292589+00:00", "FinishDate": "2024-12-22T09:54:10.8292589+00:00", "Parameters": "sample string 7", "ContentType": "sample string 8", "Notification": "sample string 9", "DateCreated": "2024-12-22T09:54:10.8292589+00:00", "DateModified": "2024-12-22T09:54:10.8292589+00:00", "LastRunOn": "2024-12-22T09:54:10.8292589+00:00", "LastRunBy": "sample string 11", "LastModifiedBy": "sample string 12", "Status": "sample string 13", "ClientID": "d7b9b998-dc1d-4520-be68-3742d70790d9" } } }
        """;

    private const string XmlDeclarations = "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

    // Seed 002 published no XML answer: this is the JSON sample above as the gateway writes it in XML.
    private const string AccountTaskDetailXml =
        "<ID>1e0bfd78-0a12-44af-b227-f61b0b54c503</ID><TaskID>cfebc9b2-19e1-47db-8f1e-7ae01a7a2f13</TaskID><Name>sample string 3</Name>"
        + "<Enabled>true</Enabled><Frequency>sample string 5</Frequency><StartDate>2024-12-22T09:54:10.8292589+00:00</StartDate>"
        + "<FinishDate>2024-12-22T09:54:10.8292589+00:00</FinishDate><Parameters>sample string 7</Parameters><ContentType>sample string 8</ContentType>"
        + "<Notification>sample string 9</Notification><DateCreated>2024-12-22T09:54:10.8292589+00:00</DateCreated>"
        + "<DateModified>2024-12-22T09:54:10.8292589+00:00</DateModified><LastRunOn>2024-12-22T09:54:10.8292589+00:00</LastRunOn>"
        + "<LastRunBy>sample string 11</LastRunBy><LastModifiedBy>sample string 12</LastModifiedBy><Status>sample string 13</Status>"
        + "<ClientID>d7b9b998-dc1d-4520-be68-3742d70790d9</ClientID>";

    public static string AccountTaskResponseXml =>
        $"""<ResponseOfAccountTaskResponse {XmlDeclarations}><Error><ErrorCode>sample string 1</ErrorCode><ErrorReason>sample string 2</ErrorReason></Error><ResponseData><Identification><UserId>sample string 1</UserId></Identification><Result>sample string 1</Result><Detail>{AccountTaskDetailXml}</Detail></ResponseData></ResponseOfAccountTaskResponse>""";

    public static string AccountTaskListXml =>
        $"""<ResponseOfArrayOfAccountTaskResponse {XmlDeclarations}><ResponseData><Identification><UserId>sample string 1</UserId></Identification><Result>Success</Result><Detail><AccountTaskResponse>{AccountTaskDetailXml}</AccountTaskResponse></Detail></ResponseData></ResponseOfArrayOfAccountTaskResponse>""";

    /// <summary>The list answer: the seed's task as the only item of a Detail array.</summary>
    public static JsonNode AccountTaskListJson()
    {
        var single = JsonNode.Parse(AccountTaskResponseJson)!;
        var detail = single["ResponseData"]!["Detail"]!.DeepClone();
        return new JsonObject
        {
            ["Error"] = null,
            ["ResponseData"] = new JsonObject
            {
                ["Identification"] = new JsonObject { ["UserId"] = "sample string 1" },
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
        403 => Errors(status, "Forbidden", "This API key does not have the role this endpoint needs."),
        404 => Errors(status, "Not Found", "No subscription job with id 11111111-2222-3333-4444-555555555555 was found."),
        409 => JsonNode.Parse(ElasticPathWriteConflict)!,
        413 => Errors(status, "Payload Too Large", "The request body is larger than the limit of 1048576 bytes."),
        415 => Errors(status, "Unsupported Media Type", "Send the body as application/json or application/vnd.api+json."),
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
        _ => ("internal_error", "An internal error has occurred."),
    };

    public static JsonNode TwoSmsErrorJson(int status)
    {
        var (code, reason) = TwoSmsError(status);
        return new JsonObject { ["Error"] = new JsonObject { ["ErrorCode"] = code, ["ErrorReason"] = reason }, ["ResponseData"] = null };
    }

    public static string TwoSmsErrorXml(int status, string root)
    {
        var (code, reason) = TwoSmsError(status);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"""<{root} {XmlDeclarations}><Error><ErrorCode>{code}</ErrorCode><ErrorReason>{System.Security.SecurityElement.Escape(reason)}</ErrorReason></Error></{root}>""");
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
