using FluentValidation;
using JobGateway.Rest.AccountTasks;
using JobGateway.Rest.Admin;
using JobGateway.Rest.Auth;
using JobGateway.Rest.ElasticPath;
using JobGateway.Rest.Http;
using JobGateway.Rest.Jobs;
using JobGateway.Rest.Limits;
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
    /// <summary>API-key authentication, role policies, validators, error handling and create limits of the REST surfaces.</summary>
    public static IServiceCollection AddRest(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyTickets>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(GatewayClaims.AdminPolicy, p => p.RequireRole(GatewayClaims.RoleName(Core.Clients.ApiKeyRoles.Admin)))
            .AddPolicy(GatewayClaims.ClientPolicy, p => p.RequireRole(GatewayClaims.RoleName(Core.Clients.ApiKeyRoles.Client)))
            .AddPolicy(GatewayClaims.WorkerPolicy, p => p.RequireRole(GatewayClaims.RoleName(Core.Clients.ApiKeyRoles.Worker)));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, RoleForbiddenResultHandler>();

        // Binding failures (malformed JSON, wrong types) become exceptions so that the exception handler
        // answers them in the endpoint's dialect instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RestJsonContext.Default));
        services.AddProblemDetails();
        services.AddExceptionHandler<GatewayExceptionHandler>();
        // Validators are stateless: one of each for the process (FluentValidation.AspNetCore's DI extensions).
        services.AddValidatorsFromAssemblyContaining<CreateJobRequestValidator>(ServiceLifetime.Singleton);
        services.AddJobCreateLimits();
        return services;
    }

    /// <summary>ASP.NET's authentication middleware with the ApiKey scheme (anonymous endpoints carry no header).</summary>
    public static IApplicationBuilder UseGatewayAuthentication(this IApplicationBuilder app) => app.UseAuthentication();

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
