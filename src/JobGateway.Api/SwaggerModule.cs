using Microsoft.OpenApi;

namespace JobGateway.Api;

internal static class SwaggerModule
{
    private const string DocumentName = "v1";
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
            // A stored JSON value written as it is: any JSON, as the JsonElement it replaced was documented.
            o.MapType<JobGateway.Rest.Http.RawJson>(() => new OpenApiSchema());
            o.OperationFilter<RequestBodyOperationFilter>();
            o.OperationFilter<VendorExamplesOperationFilter>();
            o.SchemaFilter<AccountTaskRequestSchemaFilter>();
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
                swagger.UseSwagger();
                swagger.UseSwaggerUI(o =>
                {
                    o.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "JobGateway");
                    o.DocumentTitle = "JobGateway API";
                });
            });
        return app;
    }
}
