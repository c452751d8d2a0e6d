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
    /// <summary>The writer as on PostgreSQL: batches inserted through EF, a new context per batch.</summary>
    public static (JobWriteBatcher Batcher, ServiceProvider Services) Over(Func<GatewayDbContext> newContext, IJobSignal signal)
    {
        var services = new ServiceCollection()
            .AddScoped(_ => newContext())
            .BuildServiceProvider();
        var inserter = new EfJobBatchInserter(services.GetRequiredService<IServiceScopeFactory>());
        return (new JobWriteBatcher(inserter, signal, NullLogger<JobWriteBatcher>.Instance), services);
    }

    /// <summary>The writer as on SQLite: batches inserted on the prepared statements of <paramref name="rows"/>.</summary>
    public static JobWriteBatcher Over(IJobBatchInserter rows, IJobSignal signal) =>
        new(rows, signal, NullLogger<JobWriteBatcher>.Instance);
}
