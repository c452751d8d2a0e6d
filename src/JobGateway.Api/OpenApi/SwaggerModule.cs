using JobGateway.Rest.AccountTasks;
using JobGateway.Rest.ElasticPath;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

namespace JobGateway.Api;

/// <summary>
/// The OpenAPI document (<c>/swagger/v1/swagger.json</c>) and Swagger UI. The document is the contract clients
/// generate from: it is built from the endpoints' own metadata (names, produced statuses and headers, bodies) and
/// the contracts' types, and a few filters add what metadata cannot say (which members are required or null, the
/// wire words of enums, examples). docs/openapi.md says how the suite holds it to what the gateway answers.
/// </summary>
internal static class SwaggerModule
{
    public const string DocumentName = "v1";
    private const string BearerScheme = "Bearer";

    // The SOAP services are not REST operations; the description points at their ASMX help pages, each of
    // which lists its operations, sample envelopes and WSDL.
    private const string Description = """
        One job store for old and new clients. Every call needs an API key: `Authorization: Bearer <key>`.

        REST surfaces below: the native jobs API, Elastic Path subscription jobs (`/v2/subscriptions/jobs`, JSON:API
        errors) and 2sms-style account tasks (`/api/v2/admin/tasks/account`, JSON or XML envelopes).

        SOAP services (ASMX, SOAP 1.1 and 1.2; add `?wsdl` for the WSDL):

        - [T2A `job_create`](/soap/t2a.asmx) — `/soap/t2a.asmx`
        - [DiscountASP CustomerApi `GetJobStatus`](/1.0/customerapi.asmx) — `/1.0/customerapi.asmx`
        - [MagnetMail `getUploadJobStatus`](/mmapi.asmx) — `/mmapi.asmx`
        """;

    /// <summary>The tags (Swagger UI's groups) in the order they are shown: the native jobs API first.</summary>
    internal static readonly (string Name, string Description)[] Tags =
    [
        ("Jobs", "The native jobs API: create a job, poll it, list, cancel and delete. Errors are RFC 9457 problem details with a stable `code`."),
        ("Worker", "External workers fetch and lock jobs of the types they serve, send heartbeats, then complete or fail them."),
        ("Admin", "Clients (tenants), their API keys and webhooks; keys with the `admin` role."),
        (ElasticPathJobsApi.Tag, "Elastic Path's subscription jobs (JSON:API) on the shared store; errors are Elastic Path error documents."),
        (AccountTasksApi.Tag, "2sms-style account tasks: every answer, errors included, is the `ResponseOf…` envelope, in JSON or XML."),
    ];

    public static IServiceCollection AddGatewaySwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "JobGateway",
                Version = DocumentName,
                Description = Description,
            });
            o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A gateway API key.",
            });
            o.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [],
            });

            // Nullable reference annotations say which members may be null; without this every string would be.
            o.SupportNonNullableReferenceTypes();
            o.OrderActionsBy(api => TagRank(api.ActionDescriptor.EndpointMetadata.OfType<ITagsMetadata>().LastOrDefault()?.Tags is [var tag, ..] ? tag : null));

            // A stored JSON value written as it is: any JSON value, or null when nothing is stored. The types are spelt
            // out (rather than the equivalent empty schema) so that client generators let the member be null.
            o.MapType<JobGateway.Rest.Http.RawJson>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Object | JsonSchemaType.Array | JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean | JsonSchemaType.Null,
                Items = new OpenApiSchema(),
            });
            o.SchemaFilter<ContractSchemaFilter>();
            o.OperationFilter<RequestBodyOperationFilter>();
            o.OperationFilter<ContractOperationFilter>();
            o.OperationFilter<UnavailableResponsesOperationFilter>();
            o.OperationFilter<ExamplesOperationFilter>();
            o.DocumentFilter<DocumentTagsAndServersFilter>();
            foreach (var xml in Directory.EnumerateFiles(AppContext.BaseDirectory, "JobGateway.*.xml"))
            {
                o.IncludeXmlComments(xml);
            }
        });
        return services;
    }

    public static WebApplication MapGatewaySwagger(this WebApplication app)
    {
        // Only requests under /swagger pass through Swashbuckle's middleware: its path matching would
        // otherwise run on every API and SOAP request.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase),
            swagger =>
            {
                // OpenAPI 3.1: its schemas are JSON Schema 2020-12, which can say "this object, or null" (3.0 cannot
                // make a $ref nullable), and every validator and linter reads them as they are.
                swagger.UseSwagger(o => o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1);
                swagger.UseSwaggerUI(o =>
                {
                    o.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "JobGateway");
                    o.DocumentTitle = "JobGateway API";

                    // Links such as /swagger/index.html#/Jobs/CreateJob open that operation.
                    o.EnableDeepLinking();
                });
            });
        return app;
    }

    // Operations sort by their tag's place in Tags; within a tag they keep the order the endpoints were mapped in.
    private static string TagRank(string? tag)
    {
        var rank = Array.FindIndex(Tags, t => t.Name == tag);
        return (rank < 0 ? Tags.Length : rank).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
    }
}
