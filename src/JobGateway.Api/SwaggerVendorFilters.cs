using System.Text.Json.Nodes;
using JobGateway.Rest.AccountTasks;
using JobGateway.Rest.ElasticPath;
using JobGateway.Rest.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace JobGateway.Api;

/// <summary>
/// Request bodies read by custom binders (<see cref="RequestBodyMetadata"/>): the API explorer does not see
/// them, so they are described here, in every media type the binder reads.
/// </summary>
internal sealed class RequestBodyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var body = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestBodyMetadata>().LastOrDefault();
        if (body is null)
        {
            return;
        }

        var schema = context.SchemaGenerator.GenerateSchema(body.RequestType, context.SchemaRepository);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = body.ContentTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = schema }, StringComparer.Ordinal),
        };
    }
}

/// <summary>
/// Examples of the vendor surfaces: the seeds' samples on requests and answers, an example on every error
/// answer, and the query parameters' real types (they are bound as text so that bad values get the
/// vendor's error, not a binding failure).
/// </summary>
internal sealed class VendorExamplesOperationFilter : IOperationFilter
{
    private static readonly HashSet<string> TwoSmsOperations =
        ["CreateAccountTask", "ListAccountTasks", "GetAccountTask", "UpdateAccountTask", "DeleteAccountTask", "RunAccountTask", "EnableAccountTask", "DisableAccountTask"];

    private static readonly HashSet<string> ElasticPathOperations =
        ["CreateSubscriptionJob", "GetSubscriptionJob", "ListSubscriptionJobs", "DeleteSubscriptionJob"];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var id = operation.OperationId ?? string.Empty;
        if (ElasticPathOperations.Contains(id))
        {
            ElasticPath(operation, id);
        }
        else if (TwoSmsOperations.Contains(id))
        {
            TwoSms(operation, id);
        }
    }

    private static void ElasticPath(OpenApiOperation operation, string id)
    {
        foreach (var media in operation.RequestBody?.Content?.Values ?? [])
        {
            media.Example = JsonNode.Parse(SwaggerExamples.ElasticPathCreateRequest);
        }

        foreach (var (code, response) in operation.Responses ?? [])
        {
            var status = int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
            JsonNode? example = status switch
            {
                200 when id == "ListSubscriptionJobs" => SwaggerExamples.ElasticPathList(),
                200 or 201 => new JsonObject { ["data"] = JsonNode.Parse(SwaggerExamples.ElasticPathJob) },
                >= 400 => SwaggerExamples.ElasticPathError(status, id),
                _ => null,
            };
            foreach (var media in response.Content?.Values ?? [])
            {
                media.Example = example?.DeepClone();
            }
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            parameter.Schema = parameter.Name switch
            {
                "page[offset]" => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0", Default = 0 },
                "page[limit]" => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "100", Default = ElasticPathJobsApi.DefaultPageLimit },
                "id" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                _ => parameter.Schema,
            };
            if (parameter.Name == "filter")
            {
                parameter.Example = "eq(external_ref,abc123):in(status,pending,started)";
            }
        }
    }

    private static void TwoSms(OpenApiOperation operation, string id)
    {
        foreach (var (type, media) in operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>())
        {
            media.Example = type switch
            {
                "application/json" or "text/json" => JsonNode.Parse(SwaggerExamples.AccountTaskRequestJson),
                "application/xml" or "text/xml" => JsonValue.Create(SwaggerExamples.AccountTaskRequestXml),
                // Seed 002: "Sample not available" for forms; the same members as the JSON sample.
                _ => JsonNode.Parse(SwaggerExamples.AccountTaskRequestJson),
            };
        }

        var list = id == "ListAccountTasks";
        var root = list ? ResponseOfArrayOfAccountTaskResponse.XmlName : ResponseOfAccountTaskResponse.XmlName;
        foreach (var (code, response) in operation.Responses ?? [])
        {
            var status = int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (type, media) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
            {
                var xml = type.EndsWith("xml", StringComparison.Ordinal);
                media.Example = (status, xml, list) switch
                {
                    ( < 400, false, false) => JsonNode.Parse(SwaggerExamples.AccountTaskResponseJson),
                    ( < 400, false, true) => SwaggerExamples.AccountTaskListJson(),
                    ( < 400, true, false) => JsonValue.Create(SwaggerExamples.AccountTaskResponseXml),
                    ( < 400, true, true) => JsonValue.Create(SwaggerExamples.AccountTaskListXml),
                    (_, false, _) => SwaggerExamples.TwoSmsErrorJson(status),
                    (_, true, _) => JsonValue.Create(SwaggerExamples.TwoSmsErrorXml(status, root)),
                };
            }
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            parameter.Schema = parameter.Name switch
            {
                "offset" => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0", Default = 0 },
                "limit" => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "100", Default = AccountTaskListQuery.MaxLimit },
                "id" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                _ => parameter.Schema,
            };
        }
    }
}

/// <summary>
/// The AccountTaskRequest is bound as text (enums arrive as names or numbers); its schema states the real
/// types and which members are required.
/// </summary>
internal sealed class AccountTaskRequestSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(AccountTaskRequest) || schema is not OpenApiSchema request || request.Properties is null)
        {
            return;
        }

        request.Required = new HashSet<string>(StringComparer.Ordinal) { "TaskID", "Frequency", "Parameters", "ContentType" };
        Set(request, "TaskID", s => s.Format = "uuid");
        Set(request, "StartDate", s => s.Format = "date-time");
        Set(request, "FinishDate", s => s.Format = "date-time");
        Set(request, "ContentType", s => s.Enum = [JsonValue.Create("application/json"), JsonValue.Create("application/xml")]);
        Set(request, "Frequency", s => s.Description = "A name or its number: " + TwoSmsWire.Describe<Core.AccountTasks.TaskFrequency>(TwoSmsWire.ToName) + ".");
        Set(request, "Notification", s => s.Description = "A name or its number: " + TwoSmsWire.Describe<Core.AccountTasks.TaskNotification>(TwoSmsWire.ToName) + ".");
    }

    private static void Set(OpenApiSchema schema, string property, Action<OpenApiSchema> change)
    {
        if (schema.Properties!.TryGetValue(property, out var member) && member is OpenApiSchema editable)
        {
            change(editable);
        }
    }
}
