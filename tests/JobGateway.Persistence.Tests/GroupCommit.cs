using JobGateway.Core.Execution;
using JobGateway.Persistence.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobGateway.Persistence.Tests;

/// <summary>
/// The production group-commit writer over a fixture's contexts, so the store tests exercise the same create
/// path as the host (the writer takes a new scope, hence a new context, for every batch).
/// </summary>
internal static class GroupCommit
{
    public static (JobWriteBatcher Batcher, ServiceProvider Services) Over(Func<GatewayDbContext> newContext, IJobSignal signal)
    {
        var services = new ServiceCollection()
            .AddScoped(_ => newContext())
            .BuildServiceProvider();
        return (new JobWriteBatcher(services.GetRequiredService<IServiceScopeFactory>(), signal, NullLogger<JobWriteBatcher>.Instance), services);
    }
}
