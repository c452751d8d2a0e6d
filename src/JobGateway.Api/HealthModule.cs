using JobGateway.Persistence;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Api;

internal static class HealthModule
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddGatewayHealthChecks(this IServiceCollection services)
    {
        // A read of the database itself, not EF's "can connect" (which on SQLite only asks whether the file exists).
        services.AddHealthChecks().AddDbContextCheck<GatewayDbContext>(
            "database",
            tags: [ReadyTag],
            customTestQuery: async (db, cancellationToken) =>
            {
                await db.Clients.AnyAsync(cancellationToken);
                return true;
            });
        return services;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers (no dependencies checked, so a slow database never gets
    /// the gateway restarted). <c>/health/ready</c>: the database answers too.
    /// </summary>
    public static IEndpointRouteBuilder MapGatewayHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }
}
