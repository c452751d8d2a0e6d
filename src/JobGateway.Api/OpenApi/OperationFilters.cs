using System.Globalization;
using System.Text.Json.Nodes;
using JobGateway.Core.Jobs;
using JobGateway.Rest.AccountTasks;
using JobGateway.Rest.ElasticPath;
using JobGateway.Rest.Http;
using JobGateway.Rest.Jobs;
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
/// What an operation's metadata says beyond ApiExplorer's reach: the response headers its endpoint declares
/// (<see cref="ResponseHeaderMetadata"/>), and the real types of parameters bound as text (ids, dates, numbers and
/// lists arrive as strings so that a bad value gets the surface's own error, not a binding failure).
/// </summary>
internal sealed class ContractOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var header in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ResponseHeaderMetadata>())
        {
            var status = header.StatusCode.ToString(CultureInfo.InvariantCulture);
            if (operation.Responses?.TryGetValue(status, out var answer) != true || answer is not OpenApiResponse response)
            {
                throw new InvalidOperationException($"{operation.OperationId} declares the header {header.Name} on {status}, which it does not produce.");
            }

            response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            response.Headers[header.Name] = new OpenApiHeader
            {
                Description = header.Description,
                Required = header.Required,
                Schema = header.Format == "int32"
                    ? new OpenApiSchema { Type = JsonSchemaType.Integer, Format = header.Format, Minimum = "0" }
                    : new OpenApiSchema { Type = JsonSchemaType.String, Format = header.Format },
            };
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            Describe(operation.OperationId ?? string.Empty, parameter);
        }
    }

    private static void Describe(string operationId, OpenApiParameter parameter)
    {
        if (parameter.In == ParameterLocation.Path)
        {
            // Every id in the gateway's URLs is a GUID; any other text is answered with the surface's 404.
            parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" };
            return;
        }

        if (parameter.In == ParameterLocation.Header && parameter.Name == JobsApi.IdempotencyKeyHeader)
        {
            parameter.Description = "Makes a retry safe: the same key with the same body answers the job it created (Idempotent-Replayed: true); with another body, 409.";
            parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 256 };
            return;
        }

        parameter.Schema = (operationId, parameter.Name) switch
        {
            ("ListJobs", "status") => List(new OpenApiSchemaReference(WireEnums.NativeStatus.Name), parameter),
            ("ListJobs", "type") => List(new OpenApiSchema { Type = JsonSchemaType.String }, parameter),
            ("ListJobs", "createdFrom" or "createdTo") => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            ("ListJobs", "pageSize") => Integer(1, JobQuery.MaxPageSize, 25),
            ("ListSubscriptionJobs", "page[offset]") => Integer(0, null, 0),
            ("ListSubscriptionJobs", "page[limit]") => Integer(1, JobQuery.MaxPageSize, ElasticPathJobsApi.DefaultPageLimit),
            ("ListAccountTasks", "offset") => Integer(0, null, 0),
            ("ListAccountTasks", "limit") => Integer(1, AccountTaskListQuery.MaxLimit, AccountTaskListQuery.MaxLimit),
            ("RunAccountTask", "id") => Required(new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }, parameter),
            _ => parameter.Schema,
        };
        if ((operationId, parameter.Name) == ("ListSubscriptionJobs", "filter"))
        {
            parameter.Example = "eq(external_ref,abc123):in(status,pending,started)";
        }
    }

    // A comma-separated list (status=pending,running); a repeated parameter (status=pending&status=running) is read alike.
    private static OpenApiSchema List(IOpenApiSchema item, OpenApiParameter parameter)
    {
        parameter.Style = ParameterStyle.Form;
        parameter.Explode = false;
        return new OpenApiSchema { Type = JsonSchemaType.Array, Items = item };
    }

    private static OpenApiSchema Integer(int minimum, int? maximum, int @default) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int32",
        Minimum = minimum.ToString(CultureInfo.InvariantCulture),
        Maximum = maximum?.ToString(CultureInfo.InvariantCulture),
        Default = JsonValue.Create(@default),
    };

    private static OpenApiSchema Required(OpenApiSchema schema, OpenApiParameter parameter)
    {
        parameter.Required = true;
        return schema;
    }
}

/// <summary>Tags in the order Swagger UI shows them, and the URL clients reach the gateway at.</summary>
internal sealed class DocumentTagsAndServersFilter(Microsoft.Extensions.Options.IOptions<GatewayOptions> options) : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        swaggerDoc.Tags = new HashSet<OpenApiTag>(SwaggerModule.Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));

        // Gateway:PublicBaseUrl when it is set; else the host that served the document ("/"), never a URL made from the
        // request's Host header, which the client chooses.
        var publicBaseUrl = options.Value.PublicBaseUrl;
        swaggerDoc.Servers =
        [
            string.IsNullOrEmpty(publicBaseUrl)
                ? new OpenApiServer { Url = "/", Description = "The gateway that serves this document (set Gateway:PublicBaseUrl to name it)." }
                : new OpenApiServer { Url = publicBaseUrl.TrimEnd('/'), Description = "The gateway (Gateway:PublicBaseUrl)." },
        ];
    }
}

/// <summary>
/// What any operation may answer when the gateway cannot serve it right now, in the shape of its 500 (the surface's
/// own error dialect): 503 with <c>Retry-After</c> when the job store is unavailable or the request timed out, and,
/// on operations that write, 507 when the store is full.
/// </summary>
internal sealed class UnavailableResponsesOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Responses?.TryGetValue("500", out var failure) != true || failure is not OpenApiResponse internalError)
        {
            return;
        }

        var unavailable = Like(internalError, "Service Unavailable: the job store is unavailable (`database_unavailable`) or the request ran past the gateway's request timeout (`request_timeout`); nothing was changed unless a create's commit was already under way. Retry after `Retry-After` seconds.");
        unavailable.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
        {
            [ResponseHeaderMetadataExtensions.RetryAfter] = new OpenApiHeader
            {
                Description = "Seconds to wait before retrying.",
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" },
            },
        };
        operation.Responses["503"] = unavailable;
        if (!string.Equals(context.ApiDescription.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase))
        {
            operation.Responses["507"] = Like(internalError, "Insufficient Storage (`storage_full`): the job store has no room left; nothing was stored. Retry once space has been freed.");
        }
    }

    // A response with the same media types and schemas as the operation's 500 (new media type objects: examples differ).
    private static OpenApiResponse Like(OpenApiResponse template, string description) => new()
    {
        Description = description,
        Content = template.Content?.ToDictionary(c => c.Key, c => new OpenApiMediaType { Schema = c.Value.Schema }, StringComparer.Ordinal),
    };
}
