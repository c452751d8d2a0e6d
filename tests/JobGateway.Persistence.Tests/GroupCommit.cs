using JobGateway.Core.Execution;
using JobGateway.Persistence.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobGateway.Persistence.Tests;

/// <summary>
/// The production group-commit writer over a fixture's contexts, so the store tests exercise the same create
/// path as the host (the writer takes a new scope, hence a new context, for every batch).
/// </summary>
internal sealed class GroupCommit : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private GroupCommit(ServiceProvider services, JobWriteBatcher batcher)
    {
        _services = services;
        Batcher = batcher;
    }

    public JobWriteBatcher Batcher { get; }

    /// <summary>
    /// A started writer whose batches are inserted through contexts made by <paramref name="newContext"/>, or on
    /// SQLite's prepared statements when <paramref name="sqlite"/> is given (as the host does on SQLite).
    /// </summary>
    public static async Task<GroupCommit> StartAsync(
        Func<GatewayDbContext> newContext, IJobSignal signal, Sqlite.SqliteJobStatements? sqlite = null, Sqlite.SqliteWriteGate? gate = null)
    {
        var services = new ServiceCollection()
            .AddScoped(_ => newContext())
            .BuildServiceProvider();
        var batcher = new JobWriteBatcher(services.GetRequiredService<IServiceScopeFactory>(), signal, NullLogger<JobWriteBatcher>.Instance, sqlite, gate);
        await batcher.StartAsync(CancellationToken.None);
        return new GroupCommit(services, batcher);
    }

    public async ValueTask DisposeAsync()
    {
        await Batcher.StopAsync(CancellationToken.None);
        Batcher.Dispose();
        await _services.DisposeAsync();
    }
}
