using JobGateway.Core.Execution;
using JobGateway.Persistence.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobGateway.Persistence.Tests;

/// <summary>
/// The production group-commit writers (creates and updates) over a fixture's contexts, so the store tests exercise the same create
/// path as the host (the writer takes a new scope, hence a new context, for every batch).
/// </summary>
internal sealed class GroupCommit : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private GroupCommit(ServiceProvider services, JobWriteBatcher batcher, JobUpdateWriter updates)
    {
        _services = services;
        Batcher = batcher;
        Updates = updates;
    }

    public JobWriteBatcher Batcher { get; }

    public JobUpdateWriter Updates { get; }

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
        var updates = new JobUpdateWriter(services.GetRequiredService<IServiceScopeFactory>(), TestTelemetry.Instance, NullLogger<JobUpdateWriter>.Instance);
        await batcher.StartAsync(CancellationToken.None);
        await updates.StartAsync(CancellationToken.None);
        return new GroupCommit(services, batcher, updates);
    }

    public async ValueTask DisposeAsync()
    {
        await Updates.StopAsync(CancellationToken.None);
        Updates.Dispose();
        await Batcher.StopAsync(CancellationToken.None);
        Batcher.Dispose();
        await _services.DisposeAsync();
    }
}
