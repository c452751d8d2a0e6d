using System.Text;
using JobGateway.Core.Jobs;
using JobGateway.Persistence.Stores;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SQLitePCL;

namespace JobGateway.Persistence.Sqlite;

/// <summary>
/// The two hottest statements on SQLite — read one job by id or number, insert a batch of new jobs — written
/// by hand on SQLite's own prepared statements (SQLitePCL), bound and read by position. EF prepares (parses
/// and plans) every command afresh and opens a pooled connection per query, and Microsoft.Data.Sqlite binds
/// every parameter by name and allocates a data reader per execution; here each connection is opened and
/// configured once and keeps its statements prepared, which is what the durable-write reference server does.
/// Everything else stays on EF, so the column list below must follow the model: the store tests read back
/// through EF what is written here and the other way round.
/// </summary>
internal sealed class SqliteJobRows : IJobBatchInserter, IJobRowReads, IDisposable
{
    // A new job (Job.Create) has only these columns set; the others are the literals of a fresh Pending job.
    private const string InsertColumns =
        "\"Id\", \"ClientId\", \"Type\", \"Name\", \"Payload\", \"ExternalRef\", \"IdempotencyKey\", \"RequestHash\", " +
        "\"CreatedAt\", \"UpdatedAt\", \"RunAfter\", \"Status\", \"Attempts\", \"Progress\", \"CancellationRequested\", \"Version\"";

    // Readers in use at once are bounded by the thread pool; a few more than that are never needed.
    private const int MaxIdleReaders = 64;

    // Idle readers, the last returned on top: reads are short and synchronous, so on a busy server the same one or
    // two lanes (their statements, page cache and locks warm) serve nearly every read. (A ConcurrentBag would keep
    // one per pool thread, and its Count, needed on every return, locks every thread's list.)
    private readonly Stack<ReadLane> _readers = new();
    private readonly Lock _readersLock = new();

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly Lock _writerLock = new();
    private readonly SqliteWriteGate _gate;
    private readonly SqliteCheckpointer _checkpointer;
    private WriteLane? _writer;
    private bool _disposed;

    public SqliteJobRows(
        string connectionString,
        SqliteDurability durability,
        int busyTimeoutMs,
        ILogger? logger = null,
        TimeSpan? checkpointInterval = null,
        int restartFrames = SqliteCheckpointer.DefaultRestartFrames)
    {
        // The database file's write gate, shared with EF's saves.
        _gate = SqliteWriteGate.For(connectionString);
        // Our own connections, each configured once and kept open with its statements prepared.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        _pragmas = SqlitePragmaInterceptor.Pragmas(durability, busyTimeoutMs);
        // No connection checkpoints in its commits (the pragmas above): this does, for every writer of the file.
        _checkpointer = new SqliteCheckpointer(_connectionString, _pragmas, _gate, logger ?? NullLogger.Instance, checkpointInterval, restartFrames);
    }

    /// <summary>The write-ahead log's checkpointer for this database file.</summary>
    internal SqliteCheckpointer Checkpointer => _checkpointer;

    /// <summary>The job with public id <paramref name="id"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Job? GetById(Guid clientId, Guid id) => ReadOne(static (lane, id, client) => lane.ById(id, client), id, clientId);

    /// <summary>The job numbered <paramref name="number"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Job? GetByNumber(Guid clientId, long number) =>
        ReadOne(static (lane, number, client) => lane.ByNumber(number, client), number, clientId);

    /// <summary>The status of the job with public id <paramref name="id"/> if it belongs to <paramref name="clientId"/>.</summary>
    public JobStatusView? GetStatusById(Guid clientId, Guid id) =>
        ReadOne(static (lane, id, client) => lane.StatusById(id, client), id, clientId);

    /// <summary>The status of the job numbered <paramref name="number"/> if it belongs to <paramref name="clientId"/>.</summary>
    public JobStatusView? GetStatusByNumber(Guid clientId, long number) =>
        ReadOne(static (lane, number, client) => lane.StatusByNumber(number, client), number, clientId);

    // The reads are synchronous: a prepared statement on a warm connection answers in microseconds.
    Task<Job?> IJobRowReads.GetByIdAsync(Guid clientId, Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(GetById(clientId, id));

    Task<Job?> IJobRowReads.GetByNumberAsync(Guid clientId, long number, CancellationToken cancellationToken) =>
        Task.FromResult(GetByNumber(clientId, number));

    Task<JobStatusView?> IJobRowReads.GetStatusByIdAsync(Guid clientId, Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(GetStatusById(clientId, id));

    Task<JobStatusView?> IJobRowReads.GetStatusByNumberAsync(Guid clientId, long number, CancellationToken cancellationToken) =>
        Task.FromResult(GetStatusByNumber(clientId, number));

    /// <summary>
    /// Inserts <paramref name="jobs"/> in one transaction (one commit, one WAL append) and, once committed,
    /// gives each its number. Called by the single group-commit writer only.
    /// </summary>
    public void Insert(IReadOnlyList<Job> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        foreach (var job in jobs)
        {
            if (job.Status != JobStatus.Pending || job.Attempts != 0 || job.Version != 1 || job.Number != 0)
            {
                throw new InvalidOperationException($"Job {job.Id} is not a new job; only new jobs are batch-inserted.");
            }
        }

        lock (_writerLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var lane = _writer ??= new WriteLane(Open());
            var numbers = new long[jobs.Count];
            _gate.Enter();
            try
            {
                lane.InsertAll(jobs, numbers);
            }
            finally
            {
                _gate.Exit();
            }

            // Numbers are the jobs' only once the commit has succeeded.
            for (var i = 0; i < jobs.Count; i++)
            {
                jobs[i].AssignNumber(numbers[i]);
            }
        }
    }

    public void Dispose()
    {
        _checkpointer.Dispose();
        lock (_writerLock)
        {
            _disposed = true;
            _writer?.Dispose();
            _writer = null;
        }

        ReadLane[] idle;
        lock (_readersLock)
        {
            idle = [.. _readers];
            _readers.Clear();
        }

        foreach (var lane in idle)
        {
            lane.Dispose();
        }
    }

    // Runs one of a lane's prepared reads on a lane rented for the call.
    private TResult? ReadOne<TKey, TResult>(Func<ReadLane, TKey, Guid, TResult?> read, TKey key, Guid clientId)
        where TResult : class
    {
        var lane = RentReader();
        try
        {
            return read(lane, key, clientId);
        }
        finally
        {
            ReturnReader(lane);
        }
    }

    private ReadLane RentReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_readersLock)
        {
            if (_readers.TryPop(out var lane))
            {
                return lane;
            }
        }

        return new ReadLane(Open());
    }

    private void ReturnReader(ReadLane lane)
    {
        lock (_readersLock)
        {
            if (!_disposed && _readers.Count < MaxIdleReaders)
            {
                _readers.Push(lane);
                return;
            }
        }

        lane.Dispose();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = _pragmas;
        pragmas.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// A reader's connection with its prepared reads: the whole job, or only its status columns (a status poll
    /// then neither copies nor decodes the payload and the lease, and crosses into SQLite half as often);
    /// used by one thread at a time.
    /// </summary>
    private sealed class ReadLane : IDisposable
    {
        private readonly RawConnection _raw;
        private readonly sqlite3_stmt _byId;
        private readonly sqlite3_stmt _byNumber;
        private readonly sqlite3_stmt _statusById;
        private readonly sqlite3_stmt _statusByNumber;

        public ReadLane(SqliteConnection connection)
        {
            _raw = new RawConnection(connection);
            _byId = _raw.Prepare(JobColumns.SelectById);
            _byNumber = _raw.Prepare(JobColumns.SelectByNumber);
            _statusById = _raw.Prepare(JobColumns.SelectStatusById);
            _statusByNumber = _raw.Prepare(JobColumns.SelectStatusByNumber);
        }

        public Job? ById(Guid id, Guid clientId) => Read(BindById(_byId, id, clientId), clientId);

        public Job? ByNumber(long number, Guid clientId) => Read(BindByNumber(_byNumber, number, clientId), clientId);

        public JobStatusView? StatusById(Guid id, Guid clientId) => ReadStatus(BindById(_statusById, id, clientId));

        public JobStatusView? StatusByNumber(long number, Guid clientId) => ReadStatus(BindByNumber(_statusByNumber, number, clientId));

        public void Dispose()
        {
            _byId.Dispose();
            _byNumber.Dispose();
            _statusById.Dispose();
            _statusByNumber.Dispose();
            _raw.Dispose();
        }

        // The reads' parameters, by position: 1 the id or the number, 2 the client.
        private sqlite3_stmt BindById(sqlite3_stmt s, Guid id, Guid clientId)
        {
            _raw.Check(RawConnection.BindGuid(s, 1, id));
            _raw.Check(RawConnection.BindGuid(s, 2, clientId));
            return s;
        }

        private sqlite3_stmt BindByNumber(sqlite3_stmt s, long number, Guid clientId)
        {
            _raw.Check(raw.sqlite3_bind_int64(s, 1, number));
            _raw.Check(RawConnection.BindGuid(s, 2, clientId));
            return s;
        }

        // The client is the one the row was matched on, so its column is not parsed again.
        private Job? Read(sqlite3_stmt s, Guid clientId) => ReadRow(s, clientId, static (s, clientId) => Job.Restore(
            raw.sqlite3_column_int64(s, 0), RawConnection.GuidAt(s, 1), clientId, Text(s, 3)!, Text(s, 4), Text(s, 5),
            Text(s, 6), Text(s, 7), Text(s, 8), (JobStatus)raw.sqlite3_column_int(s, 9), raw.sqlite3_column_int(s, 10),
            raw.sqlite3_column_int(s, 11), Text(s, 12), Text(s, 13), Text(s, 14), Text(s, 15), Instant(s, 16)!.Value,
            Instant(s, 17)!.Value, Instant(s, 18), Instant(s, 19), Instant(s, 20)!.Value, Text(s, 21), Instant(s, 22),
            raw.sqlite3_column_int64(s, 23) != 0, raw.sqlite3_column_int64(s, 24)));

        private JobStatusView? ReadStatus(sqlite3_stmt s) => ReadRow(s, 0, static (s, _) => new JobStatusView(
            raw.sqlite3_column_int64(s, 0), RawConnection.GuidAt(s, 1), Text(s, 2), (JobStatus)raw.sqlite3_column_int(s, 3),
            raw.sqlite3_column_int(s, 4), Text(s, 5), Text(s, 6), Text(s, 7), Text(s, 8), Instant(s, 9)!.Value,
            Instant(s, 10), Instant(s, 11)));

        // Steps a bound single-row read: its row mapped, or null when there is none; the statement is reset either way.
        private TRow? ReadRow<TState, TRow>(sqlite3_stmt s, TState state, Func<sqlite3_stmt, TState, TRow> map)
            where TRow : class
        {
            try
            {
                var rc = raw.sqlite3_step(s);
                if (rc == raw.SQLITE_DONE)
                {
                    return null;
                }

                if (rc != raw.SQLITE_ROW)
                {
                    throw _raw.Error(rc);
                }

                return map(s, state);
            }
            finally
            {
                raw.sqlite3_reset(s);
            }
        }

        private static string? Text(sqlite3_stmt s, int i) =>
            raw.sqlite3_column_type(s, i) == raw.SQLITE_NULL ? null : Encoding.UTF8.GetString(raw.sqlite3_column_blob(s, i));

        // The SQLite model stores instants as UTC ticks (SqliteGatewayDbContext).
        private static DateTimeOffset? Instant(sqlite3_stmt s, int i) =>
            raw.sqlite3_column_type(s, i) == raw.SQLITE_NULL ? null : new DateTimeOffset(raw.sqlite3_column_int64(s, i), TimeSpan.Zero);
    }

    /// <summary>
    /// The group-commit writer's connection. Its statements are SQLite's own (SQLitePCL), bound by position:
    /// Microsoft.Data.Sqlite binds every parameter by name (a linear search of the statement's names) and
    /// allocates a data reader per execution, which made the insert the costliest part of a create.
    /// </summary>
    private sealed class WriteLane : IDisposable
    {
        // A fresh job's other columns are these literals: Pending, no attempts, no progress, not cancelled, version 1.
        private static readonly string InsertSql =
            $"INSERT INTO \"Jobs\" ({InsertColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, {(int)JobStatus.Pending}, 0, 0, 0, 1)";

        private readonly RawConnection _raw;
        private readonly sqlite3_stmt _begin;
        private readonly sqlite3_stmt _commit;
        private readonly sqlite3_stmt _rollback;
        private readonly sqlite3_stmt _insert;

        public WriteLane(SqliteConnection connection)
        {
            _raw = new RawConnection(connection);
            _begin = _raw.Prepare("BEGIN IMMEDIATE");
            _commit = _raw.Prepare("COMMIT");
            _rollback = _raw.Prepare("ROLLBACK");
            _insert = _raw.Prepare(InsertSql);
        }

        /// <summary>
        /// Inserts <paramref name="jobs"/> in one transaction; each one's number (its rowid) goes to the same
        /// position of <paramref name="numbers"/>. Nothing is kept if any insert or the commit fails.
        /// </summary>
        public void InsertAll(IReadOnlyList<Job> jobs, long[] numbers)
        {
            _raw.Run(_begin);
            try
            {
                for (var i = 0; i < jobs.Count; i++)
                {
                    Bind(jobs[i]);
                    _raw.Run(_insert);
                    numbers[i] = _raw.LastInsertRowId;
                }

                _raw.Run(_commit);
            }
            catch
            {
                // A failed COMMIT can leave the transaction open; a failed BEGIN leaves none.
                if (_raw.InTransaction)
                {
                    _raw.Run(_rollback);
                }

                throw;
            }
        }

        public void Dispose()
        {
            _begin.Dispose();
            _commit.Dispose();
            _rollback.Dispose();
            _insert.Dispose();
            _raw.Dispose();
        }

        private void Bind(Job job)
        {
            raw.sqlite3_clear_bindings(_insert);
            _raw.Check(RawConnection.BindGuid(_insert, 1, job.Id));
            _raw.Check(RawConnection.BindGuid(_insert, 2, job.ClientId));
            _raw.Check(raw.sqlite3_bind_text(_insert, 3, job.Type));
            BindText(4, job.Name);
            BindText(5, job.Payload);
            BindText(6, job.ExternalRef);
            BindText(7, job.IdempotencyKey);
            BindText(8, job.RequestHash);
            _raw.Check(raw.sqlite3_bind_int64(_insert, 9, job.CreatedAt.UtcTicks));
            _raw.Check(raw.sqlite3_bind_int64(_insert, 10, job.UpdatedAt.UtcTicks));
            _raw.Check(raw.sqlite3_bind_int64(_insert, 11, job.RunAfter.UtcTicks));
        }

        // Clear_bindings left every parameter NULL.
        private void BindText(int index, string? value)
        {
            if (value is not null)
            {
                _raw.Check(raw.sqlite3_bind_text(_insert, index, value));
            }
        }
    }

    /// <summary>An open connection's SQLite handle, with what both lanes need to use it directly.</summary>
    private sealed class RawConnection(SqliteConnection connection) : IDisposable
    {
        private readonly sqlite3 _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");

        public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

        public bool InTransaction => raw.sqlite3_get_autocommit(_db) == 0;

        public sqlite3_stmt Prepare(string sql)
        {
            Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
            return statement;
        }

        /// <summary>Steps a statement that returns no rows to its end, and resets it.</summary>
        public void Run(sqlite3_stmt statement)
        {
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_DONE)
            {
                var error = Error(rc);
                raw.sqlite3_reset(statement);
                throw error;
            }

            raw.sqlite3_reset(statement);
        }

        public void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                throw Error(rc);
            }
        }

        public SqliteException Error(int rc) =>
            new($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(_db));

        public void Dispose() => connection.Dispose();

        // EF's SQLite mapping stores a Guid as upper-case text in the "D" format.
        public static int BindGuid(sqlite3_stmt statement, int index, Guid value)
        {
            Span<byte> text = stackalloc byte[36];
            value.TryFormat(text, out _, "D");
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] >= (byte)'a')
                {
                    text[i] -= 'a' - 'A';
                }
            }

            return raw.sqlite3_bind_text(statement, index, text);
        }

        public static Guid GuidAt(sqlite3_stmt statement, int column)
        {
            Span<char> text = stackalloc char[36];
            var length = Encoding.ASCII.GetChars(raw.sqlite3_column_blob(statement, column), text);
            return Guid.ParseExact(text[..length], "D");
        }
    }
}
