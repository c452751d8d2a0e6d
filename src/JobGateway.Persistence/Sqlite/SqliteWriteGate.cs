using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace JobGateway.Persistence.Sqlite;

/// <summary>
/// One writer at a time, queued in the process rather than in SQLite. SQLite allows one write transaction per
/// database; a second writer that finds the lock taken waits in its busy handler, which sleeps (1, 2, 5, 10 … ms)
/// and retries, so under a mix of group commits and worker updates much of the time went to writers asleep while
/// the lock was free. Every save of the gateway's contexts passes this gate, which EF calls around each
/// <c>SaveChanges</c>, and so do the group commit's inserts; one per gateway (the SQLite provider is one database).
/// </summary>
internal sealed class SqliteWriteGate : SaveChangesInterceptor, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The contexts whose save holds the gate. EF ends a save through one of several hooks (saved, failed,
    // cancelled, or a concurrency conflict, which is not reported as a failure); the first of them releases it.
    private readonly ConcurrentDictionary<DbContext, byte> _holders = new();

    // The wait is not cancelled: a save waits milliseconds, and a wait given up here would leave EF to end a save
    // that never took the gate.
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        _holders[eventData.Context!] = 0;
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Release(eventData);
        return ValueTask.FromResult(result);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData);
        return Task.CompletedTask;
    }

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData);
        return Task.CompletedTask;
    }

    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(
        ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Release(eventData);
        return ValueTask.FromResult(result);
    }

    /// <summary>Takes the gate for a write that does not go through EF (the group commit's prepared inserts).</summary>
    public void Enter() => _gate.Wait();

    /// <summary>Gives back the gate taken by <see cref="Enter"/>.</summary>
    public void Exit() => _gate.Release();

    public void Dispose() => _gate.Dispose();

    private void Release(DbContextEventData eventData)
    {
        if (eventData.Context is { } context && _holders.TryRemove(context, out _))
        {
            _gate.Release();
        }
    }
}
