using System.Collections.Concurrent;
using System.Globalization;
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

    private const string InsertSql =
        "INSERT INTO \"Jobs\" (\"Id\", \"ClientId\", \"Type\", \"Name\", \"Payload\", \"ExternalRef\", \"IdempotencyKey\", \"RequestHash\", " +
        "\"Status\", \"Attempts\", \"Progress\", \"Report\", \"ErrorCode\", \"ErrorMessage\", \"ErrorDetails\", \"CreatedAt\", \"UpdatedAt\", " +
        "\"StartedAt\", \"FinishedAt\", \"RunAfter\", \"LeaseOwner\", \"LeaseExpiresAt\", \"CancellationRequested\", \"Version\") VALUES " +
        "($id, $client, $type, $name, $payload, $ref, $key, $hash, $status, $attempts, $progress, $report, $errcode, $errmsg, $errdetails, " +
        "$created, $updated, $started, $finished, $runafter, $owner, $lease, $cancel, $version) RETURNING \"Number\"";

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
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA synchronous={(durability == SqliteDurability.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout={busyTimeoutMs};");
    }

    /// <summary>The job with public id <paramref name="id"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Job? GetById(Guid clientId, Guid id)
    {
        var lane = RentReader();
        try
        {
            lane.ById.Parameters[0].Value = id;
            lane.ById.Parameters[1].Value = clientId;
            return ReadOne(lane.ById);
        }
        finally
        {
            ReturnReader(lane);
        }
    }

    /// <summary>The job numbered <paramref name="number"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Job? GetByNumber(Guid clientId, long number)
    {
        var lane = RentReader();
        try
        {
            lane.ByNumber.Parameters[0].Value = number;
            lane.ByNumber.Parameters[1].Value = clientId;
            return ReadOne(lane.ByNumber);
        }
        finally
        {
            ReturnReader(lane);
        }
    }

    /// <summary>
    /// Inserts <paramref name="jobs"/> in one transaction (one commit, one WAL append) and, once committed,
    /// gives each its number. Called by the single group-commit writer only.
    /// </summary>
    public Task InsertAsync(IReadOnlyList<Job> jobs)
    {
        lock (_writerLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var lane = _writer ??= new WriteLane(Open());
            var numbers = new long[jobs.Count];
            using (var transaction = lane.Connection.BeginTransaction(deferred: false))
            {
                lane.Insert.Transaction = transaction;
                for (var i = 0; i < jobs.Count; i++)
                {
                    numbers[i] = lane.InsertOne(jobs[i]);
                }

                transaction.Commit();
            }

            lane.Insert.Transaction = null;
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

    private static Job? ReadOne(SqliteCommand command)
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
        public SqliteConnection Connection { get; } = connection;

        public SqliteCommand Insert { get; } = Prepare(
            connection, InsertSql,
            ("$id", SqliteType.Text), ("$client", SqliteType.Text), ("$type", SqliteType.Text), ("$name", SqliteType.Text),
            ("$payload", SqliteType.Text), ("$ref", SqliteType.Text), ("$key", SqliteType.Text), ("$hash", SqliteType.Text),
            ("$status", SqliteType.Integer), ("$attempts", SqliteType.Integer), ("$progress", SqliteType.Integer),
            ("$report", SqliteType.Text), ("$errcode", SqliteType.Text), ("$errmsg", SqliteType.Text), ("$errdetails", SqliteType.Text),
            ("$created", SqliteType.Integer), ("$updated", SqliteType.Integer), ("$started", SqliteType.Integer),
            ("$finished", SqliteType.Integer), ("$runafter", SqliteType.Integer), ("$owner", SqliteType.Text),
            ("$lease", SqliteType.Integer), ("$cancel", SqliteType.Integer), ("$version", SqliteType.Integer));

        public long InsertOne(Job job)
        {
            var p = Insert.Parameters;
            p[0].Value = job.Id;
            p[1].Value = job.ClientId;
            p[2].Value = job.Type;
            p[3].Value = (object?)job.Name ?? DBNull.Value;
            p[4].Value = (object?)job.Payload ?? DBNull.Value;
            p[5].Value = (object?)job.ExternalRef ?? DBNull.Value;
            p[6].Value = (object?)job.IdempotencyKey ?? DBNull.Value;
            p[7].Value = (object?)job.RequestHash ?? DBNull.Value;
            p[8].Value = (int)job.Status;
            p[9].Value = job.Attempts;
            p[10].Value = job.Progress;
            p[11].Value = (object?)job.Report ?? DBNull.Value;
            p[12].Value = (object?)job.ErrorCode ?? DBNull.Value;
            p[13].Value = (object?)job.ErrorMessage ?? DBNull.Value;
            p[14].Value = (object?)job.ErrorDetails ?? DBNull.Value;
            p[15].Value = job.CreatedAt.UtcTicks;
            p[16].Value = job.UpdatedAt.UtcTicks;
            p[17].Value = (object?)job.StartedAt?.UtcTicks ?? DBNull.Value;
            p[18].Value = (object?)job.FinishedAt?.UtcTicks ?? DBNull.Value;
            p[19].Value = job.RunAfter.UtcTicks;
            p[20].Value = (object?)job.LeaseOwner ?? DBNull.Value;
            p[21].Value = (object?)job.LeaseExpiresAt?.UtcTicks ?? DBNull.Value;
            p[22].Value = job.CancellationRequested ? 1 : 0;
            p[23].Value = job.Version;

            using var reader = Insert.ExecuteReader();
            reader.Read();
            var number = reader.GetInt64(0);

            // Step to the end of the statement so that it is complete before the next one runs.
            reader.Read();
            return number;
        }

        public void Dispose()
        {
            Insert.Dispose();
            Connection.Dispose();
        }
    }
}
