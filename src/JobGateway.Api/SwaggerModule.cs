using Microsoft.OpenApi;

namespace JobGateway.Api;

internal static class SwaggerModule
{
    private const string DocumentName = "v1";
    private const string BearerScheme = "Bearer";

    public static IServiceCollection AddGatewaySwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "JobGateway",
                Version = DocumentName,
                Description = "One job store for old and new clients. Every call needs an API key: `Authorization: Bearer <key>`.",
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
            foreach (var xml in Directory.EnumerateFiles(AppContext.BaseDirectory, "JobGateway.*.xml"))
            {
                o.IncludeXmlComments(xml);
            }
        });
        return services;
    }

    public static WebApplication MapGatewaySwagger(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint($"/swagger/{DocumentName}/swagger.json", "JobGateway");
            o.DocumentTitle = "JobGateway API";
        });
        return app;
    }
}
