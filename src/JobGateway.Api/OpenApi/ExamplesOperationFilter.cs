using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace JobGateway.Api;

/// <summary>
/// The examples of <see cref="SwaggerExamples"/> on their operations: whole request bodies of every operation that
/// has one, and the vendor surfaces' answers and errors. XML media types carry no example: an example is checked
/// against its schema, which an XML text is not; Swagger UI draws their samples from the schema's XML names.
/// </summary>
internal sealed class ExamplesOperationFilter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions) : IOperationFilter
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
        else if (SwaggerExamples.NativeRequest(id) is { } request)
        {
            var example = JsonSerializer.SerializeToNode(request, request.GetType(), jsonOptions.Value.SerializerOptions);
            SetRequestExamples(operation, _ => example);
        }
    }

    private static void ElasticPath(OpenApiOperation operation, string id)
    {
        SetRequestExamples(operation, _ => JsonNode.Parse(SwaggerExamples.ElasticPathCreateRequest));
        SetResponseExamples(operation, status => status switch
        {
            200 when id == "ListSubscriptionJobs" => SwaggerExamples.ElasticPathList(),
            200 or 201 => new JsonObject { ["data"] = JsonNode.Parse(SwaggerExamples.ElasticPathJob) },
            >= 400 => SwaggerExamples.ElasticPathError(status, id),
            _ => null,
        });
    }

    private static void TwoSms(OpenApiOperation operation, string id)
    {
        SetRequestExamples(operation, _ => JsonNode.Parse(SwaggerExamples.AccountTaskRequestJson));
        SetResponseExamples(operation, status => status switch
        {
            < 400 when id == "ListAccountTasks" => SwaggerExamples.AccountTaskListJson(),
            < 400 => JsonNode.Parse(SwaggerExamples.AccountTaskResponseJson),
            _ => SwaggerExamples.TwoSmsErrorJson(status),
        });
    }

    private static void SetRequestExamples(OpenApiOperation operation, Func<string, JsonNode?> example)
    {
        foreach (var (type, media) in operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>())
        {
            if (!IsXml(type))
            {
                media.Example = example(type);
            }
        }
    }

    private static void SetResponseExamples(OpenApiOperation operation, Func<int, JsonNode?> example)
    {
        foreach (var (code, response) in operation.Responses ?? [])
        {
            var status = int.Parse(code, CultureInfo.InvariantCulture);
            foreach (var (type, media) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
            {
                if (!IsXml(type))
                {
                    media.Example = example(status);
                }
            }
        }
    }

    private static bool IsXml(string mediaType) => mediaType.EndsWith("xml", StringComparison.Ordinal);
}
