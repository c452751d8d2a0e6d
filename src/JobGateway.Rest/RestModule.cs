using FluentValidation;
using JobGateway.Rest.AccountTasks;
using JobGateway.Rest.Admin;
using JobGateway.Rest.Auth;
using JobGateway.Rest.ElasticPath;
using JobGateway.Rest.Http;
using JobGateway.Rest.Jobs;
using JobGateway.Rest.Worker;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Rest;

public static class RestModule
{
    /// <summary>API-key authentication, role policies, validators and error handling of the REST surfaces.</summary>
    public static IServiceCollection AddRest(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(GatewayClaims.AdminPolicy, p => p.RequireRole(GatewayClaims.RoleName(Core.Clients.ApiKeyRoles.Admin)))
            .AddPolicy(GatewayClaims.ClientPolicy, p => p.RequireRole(GatewayClaims.RoleName(Core.Clients.ApiKeyRoles.Client)))
            .AddPolicy(GatewayClaims.WorkerPolicy, p => p.RequireRole(GatewayClaims.RoleName(Core.Clients.ApiKeyRoles.Worker)));

        // Binding failures (malformed JSON, wrong types) become exceptions so that the exception handler
        // answers them in the endpoint's dialect instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RestJsonContext.Default));
        services.AddProblemDetails();
        services.AddExceptionHandler<GatewayExceptionHandler>();
        AddValidators(services);
        return services;
    }

    /// <summary>ASP.NET's authentication middleware with the ApiKey scheme (anonymous endpoints carry no header).</summary>
    public static IApplicationBuilder UseGatewayAuthentication(this IApplicationBuilder app) => app.UseAuthentication();

    // FluentValidation's DI extensions are not available here: every public validator of this assembly is
    // registered as a singleton (validators are stateless).
    private static void AddValidators(IServiceCollection services)
    {
        var validators = typeof(RestModule).Assembly.GetExportedTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>))
                .Select(i => (Service: i, Implementation: t)));
        foreach (var (service, implementation) in validators)
        {
            services.AddSingleton(service, implementation);
        }
    }

    /// <summary>Caps request bodies; call after routing so per-endpoint limits apply.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app, long defaultLimit) =>
        app.UseMiddleware<RequestBodyLimitMiddleware>(defaultLimit);

    /// <summary>The REST surfaces.</summary>
    public static IEndpointRouteBuilder MapRest(this IEndpointRouteBuilder app)
    {
        app.MapJobsApi();
        app.MapAdminApi();
        app.MapElasticPathJobs();
        app.MapAccountTasksApi();
        app.MapWorkerApi();
        return app;
    }
}
