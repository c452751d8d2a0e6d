using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using JobGateway.Core.Jobs;
using JobGateway.Persistence.Stores;
using Microsoft.Data.Sqlite;

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

    private const int InsertParameters = 11;

    // Rows per INSERT statement: one statement per chunk of a batch, prepared once per size.
    private const int MaxRowsPerStatement = 32;

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
    public Task InsertAsync(IReadOnlyList<Job> jobs)
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
            using (var transaction = lane.Connection.BeginTransaction(deferred: false))
            {
                for (var offset = 0; offset < jobs.Count; offset += MaxRowsPerStatement)
                {
                    lane.InsertChunk(jobs, offset, Math.Min(MaxRowsPerStatement, jobs.Count - offset), numbers, transaction);
                }

                transaction.Commit();
            }

            // Numbers are the jobs' only once the commit has succeeded.
            for (var i = 0; i < jobs.Count; i++)
            {
                jobs[i].AssignNumber(numbers[i]);
            }
        }

        return Task.CompletedTask;
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

    private sealed class WriteLane(SqliteConnection connection) : IDisposable
    {
        private readonly SqliteCommand?[] _inserts = new SqliteCommand?[MaxRowsPerStatement + 1];

        public SqliteConnection Connection { get; } = connection;

        /// <summary>
        /// One multi-row INSERT for <paramref name="count"/> jobs from <paramref name="offset"/>; their numbers go
        /// to the same positions of <paramref name="numbers"/>. RETURNING's row order is unspecified, so each
        /// number is matched to its job by id.
        /// </summary>
        public void InsertChunk(IReadOnlyList<Job> jobs, int offset, int count, long[] numbers, SqliteTransaction transaction)
        {
            var insert = _inserts[count] ??= PrepareInsert(count);
            insert.Transaction = transaction;
            var p = insert.Parameters;
            for (var row = 0; row < count; row++)
            {
                var job = jobs[offset + row];
                var at = row * InsertParameters;
                p[at].Value = job.Id;
                p[at + 1].Value = job.ClientId;
                p[at + 2].Value = job.Type;
                p[at + 3].Value = (object?)job.Name ?? DBNull.Value;
                p[at + 4].Value = (object?)job.Payload ?? DBNull.Value;
                p[at + 5].Value = (object?)job.ExternalRef ?? DBNull.Value;
                p[at + 6].Value = (object?)job.IdempotencyKey ?? DBNull.Value;
                p[at + 7].Value = (object?)job.RequestHash ?? DBNull.Value;
                p[at + 8].Value = job.CreatedAt.UtcTicks;
                p[at + 9].Value = job.UpdatedAt.UtcTicks;
                p[at + 10].Value = job.RunAfter.UtcTicks;
            }

            // Reading every RETURNING row also steps the statement to its end.
            using var reader = insert.ExecuteReader();
            var matched = 0;
            while (reader.Read())
            {
                var id = reader.GetGuid(0);
                for (var row = 0; row < count; row++)
                {
                    if (jobs[offset + row].Id == id)
                    {
                        numbers[offset + row] = reader.GetInt64(1);
                        matched++;
                        break;
                    }
                }
            }

            if (matched != count)
            {
                throw new InvalidOperationException($"The insert of {count} jobs returned {matched} numbers.");
            }

            insert.Transaction = null;
        }

        public void Dispose()
        {
            foreach (var insert in _inserts)
            {
                insert?.Dispose();
            }

            Connection.Dispose();
        }

        private SqliteCommand PrepareInsert(int rows)
        {
            var sql = new StringBuilder("INSERT INTO \"Jobs\" (").Append(InsertColumns).Append(") VALUES ");
            var parameters = new List<(string, SqliteType)>(rows * InsertParameters);
            for (var row = 0; row < rows; row++)
            {
                sql.Append(row == 0 ? "(" : ", (");
                foreach (var (name, type) in RowParameters)
                {
                    var parameter = string.Create(CultureInfo.InvariantCulture, $"${name}{row}");
                    sql.Append(parameter).Append(", ");
                    parameters.Add((parameter, type));
                }

                sql.Append(CultureInfo.InvariantCulture, $"{(int)JobStatus.Pending}, 0, 0, 0, 1)");
            }

            sql.Append(" RETURNING \"Id\", \"Number\"");
            return Prepare(Connection, sql.ToString(), [.. parameters]);
        }

        private static readonly (string Name, SqliteType Type)[] RowParameters =
        [
            ("id", SqliteType.Text), ("client", SqliteType.Text), ("type", SqliteType.Text), ("name", SqliteType.Text),
            ("payload", SqliteType.Text), ("ref", SqliteType.Text), ("key", SqliteType.Text), ("hash", SqliteType.Text),
            ("created", SqliteType.Integer), ("updated", SqliteType.Integer), ("runafter", SqliteType.Integer),
        ];
    }
}
