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
/// copied; under a steady load new pages always arrive meanwhile, so the log would grow without end. Once it holds
/// the restart length, the checkpointer copies the rest while holding the write gate, taken ahead of newcomers
/// (<see cref="SqliteWriteGate.EnterFirst"/>: the group commit would take it again and again): writers wait for the few
/// pages written since the last pass and two syncs, about once per 10,000 jobs, and the log starts over at the
/// next commit.
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

    private readonly SqliteConnection _connection;
    private readonly SqliteWriteGate _gate;
    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private readonly int _restartFrames;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private long _passes;
    private long _restarts;

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

    /// <summary>Checkpoints made under the write gate to let the log start over.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

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
        var (log, copied) = Checkpoint();
        Interlocked.Increment(ref _passes);

        // Past the restart length the log has not started over: no writer has begun while everything was copied.
        // Unless a reader still needs part of it (then nothing can make it start over before that reader is done,
        // and holding the writers back would be for nothing), finish the copy with the writers held back.
        if (log < _restartFrames || copied < log)
        {
            return log;
        }

        _gate.EnterFirst();
        try
        {
            _ = Checkpoint();
        }
        finally
        {
            _gate.ExitFirst();
        }

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
            catch (SqliteException ex)
            {
                // A busy or failing checkpoint loses nothing (the log keeps every page); the next look retries.
                seen = -1;
                LogCheckpointFailed(_logger, ex);
            }
        }
    }

    // One PASSIVE checkpoint: copies every log page no reader still needs. Returns the length of the log as this
    // checkpoint saw it and how much of that is now in the database (both 0 when the database is not in WAL mode).
    private (int Log, int Copied) Checkpoint()
    {
        var rc = raw.sqlite3_wal_checkpoint_v2(_connection.Handle, null, raw.SQLITE_CHECKPOINT_PASSIVE, out var log, out var copied);
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_connection.Handle).utf8_to_string()}'.", rc);
        }

        return (Math.Max(log, 0), Math.Max(copied, 0));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A checkpoint of the SQLite write-ahead log failed; the next look retries")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
