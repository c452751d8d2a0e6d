using System.Collections.Concurrent;
using JobGateway.Core.Jobs;
using JobGateway.Persistence.Stores;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace JobGateway.Persistence.Sqlite;

/// <summary>
/// The two hottest statements on SQLite — read one job by id or number, insert a batch of new jobs — written
/// by hand on prepared statements. EF prepares (parses and plans) every command afresh and opens a pooled
/// connection per query; here each connection is opened and configured once and keeps its statements
/// prepared, which is what the durable-write reference server does. Everything else stays on EF, so the
/// column list below must follow the model: the store tests read back through EF what is written here and
/// the other way round.
/// </summary>
internal sealed class SqliteJobRows : IJobBatchInserter, IDisposable
{
    // Column order of every SELECT below; Restore takes them in this order.
    private const string Columns =
        "\"Number\", \"Id\", \"ClientId\", \"Type\", \"Name\", \"Payload\", \"ExternalRef\", \"IdempotencyKey\", \"RequestHash\", " +
        "\"Status\", \"Attempts\", \"Progress\", \"Report\", \"ErrorCode\", \"ErrorMessage\", \"ErrorDetails\", \"CreatedAt\", " +
        "\"UpdatedAt\", \"StartedAt\", \"FinishedAt\", \"RunAfter\", \"LeaseOwner\", \"LeaseExpiresAt\", \"CancellationRequested\", \"Version\"";

    // A new job (Job.Create) has only these columns set; the others are the literals of a fresh Pending job.
    private const string InsertColumns =
        "\"Id\", \"ClientId\", \"Type\", \"Name\", \"Payload\", \"ExternalRef\", \"IdempotencyKey\", \"RequestHash\", " +
        "\"CreatedAt\", \"UpdatedAt\", \"RunAfter\", \"Status\", \"Attempts\", \"Progress\", \"CancellationRequested\", \"Version\"";

    // Readers in use at once are bounded by the thread pool; a few more than that are never needed.
    private const int MaxIdleReaders = 64;

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly ConcurrentBag<ReadLane> _readers = [];
    private readonly Lock _writerLock = new();
    private WriteLane? _writer;
    private bool _disposed;

    public SqliteJobRows(string connectionString, SqliteDurability durability, int busyTimeoutMs)
    {
        // Our own connections, each configured once and kept open with its statements prepared.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        _pragmas = SqlitePragmaInterceptor.Pragmas(durability, busyTimeoutMs);
    }

    /// <summary>The job with public id <paramref name="id"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Job? GetById(Guid clientId, Guid id) => ReadOne(static lane => lane.ById, id, clientId);

    /// <summary>The job numbered <paramref name="number"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Job? GetByNumber(Guid clientId, long number) => ReadOne(static lane => lane.ByNumber, number, clientId);

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
            lane.InsertAll(jobs, numbers);

            // Numbers are the jobs' only once the commit has succeeded.
            for (var i = 0; i < jobs.Count; i++)
            {
                jobs[i].AssignNumber(numbers[i]);
            }
        }
    }

    public void Dispose()
    {
        lock (_writerLock)
        {
            _disposed = true;
            _writer?.Dispose();
            _writer = null;
        }

        while (_readers.TryTake(out var lane))
        {
            lane.Dispose();
        }
    }

    // Runs one of a lane's prepared reads: the key, then the client, as its two parameters.
    private Job? ReadOne(Func<ReadLane, SqliteCommand> statement, object key, Guid clientId)
    {
        var lane = RentReader();
        try
        {
            var command = statement(lane);
            command.Parameters[0].Value = key;
            command.Parameters[1].Value = clientId;
            return Materialize(command);
        }
        finally
        {
            ReturnReader(lane);
        }
    }

    private static Job? Materialize(SqliteCommand command)
    {
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        return Job.Restore(
            r.GetInt64(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), Text(r, 4), Text(r, 5), Text(r, 6), Text(r, 7), Text(r, 8),
            (JobStatus)r.GetInt32(9), r.GetInt32(10), r.GetInt32(11), Text(r, 12), Text(r, 13), Text(r, 14), Text(r, 15),
            Instant(r.GetInt64(16)), Instant(r.GetInt64(17)), OptionalInstant(r, 18), OptionalInstant(r, 19), Instant(r.GetInt64(20)),
            Text(r, 21), OptionalInstant(r, 22), r.GetInt64(23) != 0, r.GetInt64(24));
    }

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    // The SQLite model stores instants as UTC ticks (SqliteGatewayDbContext).
    private static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? OptionalInstant(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : Instant(r.GetInt64(i));

    private ReadLane RentReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _readers.TryTake(out var lane) ? lane : new ReadLane(Open());
    }

    private void ReturnReader(ReadLane lane)
    {
        if (_disposed || _readers.Count >= MaxIdleReaders)
        {
            lane.Dispose();
            return;
        }

        _readers.Add(lane);
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

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }

    private sealed class ReadLane(SqliteConnection connection) : IDisposable
    {
        public SqliteCommand ById { get; } = Prepare(
            connection, $"SELECT {Columns} FROM \"Jobs\" WHERE \"Id\" = $id AND \"ClientId\" = $client LIMIT 1",
            ("$id", SqliteType.Text), ("$client", SqliteType.Text));

        public SqliteCommand ByNumber { get; } = Prepare(
            connection, $"SELECT {Columns} FROM \"Jobs\" WHERE \"Number\" = $number AND \"ClientId\" = $client LIMIT 1",
            ("$number", SqliteType.Integer), ("$client", SqliteType.Text));

        public void Dispose()
        {
            ById.Dispose();
            ByNumber.Dispose();
            connection.Dispose();
        }
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

        private readonly SqliteConnection _connection;
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _begin;
        private readonly sqlite3_stmt _commit;
        private readonly sqlite3_stmt _rollback;
        private readonly sqlite3_stmt _insert;

        public WriteLane(SqliteConnection connection)
        {
            _connection = connection;
            _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
            _begin = Prepare("BEGIN IMMEDIATE");
            _commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
            _insert = Prepare(InsertSql);
        }

        /// <summary>
        /// Inserts <paramref name="jobs"/> in one transaction; each one's number (its rowid) goes to the same
        /// position of <paramref name="numbers"/>. Nothing is kept if any insert or the commit fails.
        /// </summary>
        public void InsertAll(IReadOnlyList<Job> jobs, long[] numbers)
        {
            Run(_begin);
            try
            {
                for (var i = 0; i < jobs.Count; i++)
                {
                    Bind(jobs[i]);
                    Run(_insert);
                    numbers[i] = raw.sqlite3_last_insert_rowid(_db);
                }

                Run(_commit);
            }
            catch
            {
                // A failed COMMIT can leave the transaction open; a failed BEGIN leaves none.
                if (raw.sqlite3_get_autocommit(_db) == 0)
                {
                    Run(_rollback);
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
            _connection.Dispose();
        }

        private void Bind(Job job)
        {
            raw.sqlite3_clear_bindings(_insert);
            Check(BindGuid(1, job.Id));
            Check(BindGuid(2, job.ClientId));
            Check(raw.sqlite3_bind_text(_insert, 3, job.Type));
            BindText(4, job.Name);
            BindText(5, job.Payload);
            BindText(6, job.ExternalRef);
            BindText(7, job.IdempotencyKey);
            BindText(8, job.RequestHash);
            Check(raw.sqlite3_bind_int64(_insert, 9, job.CreatedAt.UtcTicks));
            Check(raw.sqlite3_bind_int64(_insert, 10, job.UpdatedAt.UtcTicks));
            Check(raw.sqlite3_bind_int64(_insert, 11, job.RunAfter.UtcTicks));
        }

        // EF's SQLite mapping stores a Guid as upper-case text in the "D" format.
        private int BindGuid(int index, Guid value)
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

            return raw.sqlite3_bind_text(_insert, index, text);
        }

        // Clear_bindings left every parameter NULL.
        private void BindText(int index, string? value)
        {
            if (value is not null)
            {
                Check(raw.sqlite3_bind_text(_insert, index, value));
            }
        }

        private void Run(sqlite3_stmt statement)
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

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                throw Error(rc);
            }
        }

        private SqliteException Error(int rc) =>
            new($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(_db));

        private sqlite3_stmt Prepare(string sql)
        {
            Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
            return statement;
        }
    }
}
