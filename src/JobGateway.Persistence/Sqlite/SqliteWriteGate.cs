using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace JobGateway.Persistence.Sqlite;

/// <summary>
/// One writer at a time per database file, queued in the process rather than in SQLite. SQLite allows one write
/// transaction per database; a second writer that finds the lock taken waits in its busy handler, which sleeps
/// (1, 2, 5, 10 … ms) and retries, so under a mix of group commits and worker updates much of the time went to
/// writers asleep while the lock was free. Every write of this process takes the file's gate first: EF's saves
/// (<see cref="SqliteGatewayDbContext"/>) and the group commit (<see cref="SqliteJobRows"/>). Each save is one
/// transaction of its own, so nothing holds the SQLite write lock while it waits for the gate and the two cannot
/// wait for each other; writes outside it (a bulk delete, another process) still meet the busy handler, as before.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "One gate per database file for the life of the process; a SemaphoreSlim whose wait handle is never asked for holds nothing to release.")]
internal sealed class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SqliteWriteGate> Gates = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _writes;

    // Set while someone takes the gate ahead of newcomers (EnterFirst): they wait for it to complete before they
    // queue for the gate at all.
    private volatile TaskCompletionSource? _first;

    private SqliteWriteGate()
    {
    }

    /// <summary>
    /// The gate of the database file <paramref name="connectionString"/> opens, by its full path, whether the string
    /// names it as a path or as a <c>file:</c> URI (<see cref="SqliteFileAccess"/>); an in-memory database by its name.
    /// </summary>
    public static SqliteWriteGate For(string connectionString)
    {
        var file = SqliteFileAccess.FilePath(connectionString);
        var key = file is null ? new SqliteConnectionStringBuilder(connectionString).DataSource : Path.GetFullPath(file);
        return Gates.GetOrAdd(key, static _ => new SqliteWriteGate());
    }

    public void Enter()
    {
        while (_first is { } first)
        {
            first.Task.Wait();
        }

        _gate.Wait();
    }

    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        while (_first is { } first)
        {
            await first.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the gate ahead of every writer that comes after this call: the gate is not fair, and a writer that
    /// never pauses (the group commit under load) would otherwise take it again and again before this caller woke.
    /// Only the writers already queued go first. Release with <see cref="ExitFirst"/>; one such caller at a time.
    /// </summary>
    public void EnterFirst()
    {
        _first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate.Wait();
    }

    /// <summary>Releases the gate taken by <see cref="EnterFirst"/> and lets the writers that waited behind it queue.</summary>
    public void ExitFirst()
    {
        var first = _first;
        _first = null;
        Exit();
        first?.SetResult();
    }

    public void Exit()
    {
        Interlocked.Increment(ref _writes);
        _gate.Release();
    }

    /// <summary>How many writes have passed the gate (what <see cref="SqliteCheckpointer"/> looks at).</summary>
    public long Writes => Interlocked.Read(ref _writes);
}
