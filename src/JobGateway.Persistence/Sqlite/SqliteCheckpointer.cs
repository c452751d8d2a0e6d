using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace JobGateway.Persistence.Sqlite;

/// <summary>
/// Checkpoints the write-ahead log on a thread and a connection of its own, beside the writers instead of inside
/// their commits. SQLite's automatic checkpoint runs in the commit that takes the log past 1000 pages: it copies
/// the pages back into the database and syncs both files, 2–12 ms on this kind of disk, every ~1,300
/// group-committed jobs, and every create waiting on that commit, or queued behind it, waited too. So every
/// connection of the gateway turns it off (<see cref="SqlitePragmaInterceptor.Pragmas"/>) and this checkpointer
/// runs a PASSIVE checkpoint, which works concurrently with the writer, whenever something was written in the last
/// interval (<see cref="SqliteWriteGate.Writes"/>; writes that bypass the gate are caught by a slower look).
/// <para>
/// A passive checkpoint copies what it can, but the log only starts over when a writer begins while everything is
/// copied and no reader still uses it; under a steady load new pages always arrive meanwhile, so the log would grow
/// without end. Once it holds the restart length, the checkpointer holds the writers back on the write gate, taken
/// ahead of newcomers (<see cref="SqliteWriteGate.EnterFirst"/>: the group commit would take it again and again),
/// and runs a RESTART checkpoint: it waits up to 100 ms for readers of older snapshots, copies the rest and syncs,
/// and the next commit starts the log over. Writers wait for the pages written since the last pass and two syncs,
/// about once per 10,000 jobs. A reader that takes longer than the wait keeps the log from starting over this time;
/// the next attempt comes after 2, 4, … 64 passes.
/// </para>
/// <para>
/// Readers that overlap without a gap (a client polling a listing that scans a large tenant, every few dozen
/// milliseconds) would keep the log from ever starting over, and it would grow without bound: 680 MiB in one
/// benchmark run. So once the log holds four restart lengths (128 MiB), a restart waits up to 2 s for the readers
/// of older snapshots instead of 100 ms, and says so in the log: writers then wait up to as long as the slowest
/// such reader, which bounds the log's size.
/// </para>
/// Durability does not change: a commit is durable (per the synchronous setting) when its log write returns, before
/// any checkpoint; a checkpoint only moves committed pages from the log into the database.
/// </summary>
internal sealed partial class SqliteCheckpointer : IDisposable
{
    /// <summary>How often the checkpointer looks for new writes.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The log length (pages) at which the log is made to start over: 32 MiB of 4 KiB pages.</summary>
    public const int DefaultRestartFrames = 8192;

    // Writes outside the gate (bulk updates and deletes, another process) are caught by this slower look.
    private const int IdleLooksPerPass = 10;

    // After a restart that a reader kept from completing, this many passes go by before the next attempt, twice as
    // many after each further one, back to the least after a restart that completes.
    private const int MinPassesAfterPinnedRestart = 2;
    private const int MaxPassesAfterPinnedRestart = 64;

    // How long a restart waits for readers (SQLite's busy handler) before it gives up for this time.
    internal const int RestartWaitMs = 100;

    // Past this many restart lengths the restart is overdue: it waits this much longer for readers.
    internal const int OverdueRestartLengths = 4;
    internal const int OverdueRestartWaitMs = 2000;

    private readonly SqliteConnection _connection;
    private readonly SqliteWriteGate _gate;
    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private readonly int _restartFrames;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private long _passes;
    private long _restarts;
    private long _nextRestartPass;
    private long _restartBackoff = MinPassesAfterPinnedRestart;
    private long _pinned;
    private long _restartAttempts;
    private bool _overdueLogged;

    public SqliteCheckpointer(string connectionString, string pragmas, SqliteWriteGate gate, ILogger logger, TimeSpan? interval = null, int restartFrames = DefaultRestartFrames)
    {
        _gate = gate;
        _logger = logger;
        _interval = interval ?? DefaultInterval;
        _restartFrames = restartFrames;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = pragmas;
            command.ExecuteNonQuery();
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpoint" };
        _thread.Start();
    }

    /// <summary>Checkpoints made.</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>Times the log was made to start over (a RESTART checkpoint under the write gate).</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    /// <summary>Restart attempts a reader kept from completing.</summary>
    public long Pinned => Interlocked.Read(ref _pinned);

    /// <summary>Restart attempts begun (counted once the writers are held back, before the checkpoint starts).</summary>
    internal long RestartAttempts => Interlocked.Read(ref _restartAttempts);

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _connection.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// One checkpoint, and the restart when the log has grown to the restart length. Returns the length of the log
    /// (pages) the checkpoint found.
    /// </summary>
    internal int Pass()
    {
        ThrowIfFailed(Checkpoint(raw.SQLITE_CHECKPOINT_PASSIVE, out var log));
        var pass = Interlocked.Increment(ref _passes);

        // Past the restart length the log has not started over: no writer has begun while everything was copied,
        // and no reader was done with it. Hold the writers back and make it start over (RESTART waits, up to its
        // wait, for readers of older snapshots, copies the rest and waits until no reader uses the log). A reader
        // that takes longer keeps it from starting over this time: then some passes go by before the next attempt,
        // rather than holding the writers back again and again for nothing.
        if (log < _restartFrames || pass < _nextRestartPass)
        {
            return log;
        }

        // Overdue: readers have kept the log from starting over for a long time. Wait for them as long as it takes
        // a slow one to finish, within reason, rather than let the log grow further.
        var overdue = log >= (long)_restartFrames * OverdueRestartLengths;
        if (overdue && !_overdueLogged)
        {
            _overdueLogged = true;
            LogOverdue(_logger, log, OverdueRestartWaitMs);
        }

        int rc;
        _gate.EnterFirst();
        try
        {
            Interlocked.Increment(ref _restartAttempts);

            // SQLite's busy handler is how long RESTART waits for readers; only restarts on this connection use it
            // (a PASSIVE checkpoint never waits).
            _ = raw.sqlite3_busy_timeout(_connection.Handle, overdue ? OverdueRestartWaitMs : RestartWaitMs);
            rc = Checkpoint(raw.SQLITE_CHECKPOINT_RESTART, out _);
        }
        finally
        {
            _gate.ExitFirst();
        }

        if (rc == raw.SQLITE_BUSY)
        {
            // Doubling waits: a short reader costs the log little growth, a long one little of the writers' time.
            _nextRestartPass = pass + _restartBackoff;
            _restartBackoff = Math.Min(_restartBackoff * 2, MaxPassesAfterPinnedRestart);
            Interlocked.Increment(ref _pinned);
            return log;
        }

        ThrowIfFailed(rc);
        _restartBackoff = MinPassesAfterPinnedRestart;
        _overdueLogged = false;
        Interlocked.Increment(ref _restarts);
        return log;
    }

    private void Run()
    {
        var seen = -1L;
        var idle = 0;
        while (!_stop.Wait(_interval))
        {
            if (_gate.Writes == seen && ++idle < IdleLooksPerPass)
            {
                continue;
            }

            idle = 0;

            // Read before the pass: a write that lands during it is seen at the next look.
            seen = _gate.Writes;
            try
            {
                _ = Pass();
            }
#pragma warning disable CA1031 // A thread of its own: an exception escaping it would end the process.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // A busy or failing checkpoint loses nothing (the log keeps every page); the next look retries.
                seen = -1;
                LogCheckpointFailed(_logger, ex);
            }
        }
    }

    // One checkpoint of the given mode; its result code, and the length of the log as it saw it (0 when the
    // database is not in WAL mode).
    private int Checkpoint(int mode, out int log)
    {
        var rc = raw.sqlite3_wal_checkpoint_v2(_connection.Handle, null, mode, out log, out _);
        log = Math.Max(log, 0);
        return rc;
    }

    private void ThrowIfFailed(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_connection.Handle).utf8_to_string()}'.", rc);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SQLite write-ahead log has grown to {Pages} pages: readers of old snapshots (long queries) keep it from starting over. Restarts now hold the writers back up to {WaitMs} ms for them")]
    private static partial void LogOverdue(ILogger logger, int pages, int waitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A checkpoint of the SQLite write-ahead log failed; the next look retries")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
