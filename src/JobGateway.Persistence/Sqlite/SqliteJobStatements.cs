using System.Data;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using JobGateway.Core.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace JobGateway.Persistence.Sqlite;

/// <summary>
/// The hottest job statements on SQLite (insert a batch of new jobs; read one job, whole or its status columns, by
/// id or by number) on connections of their own with each statement prepared once. Through EF every query opens a
/// pooled connection (which re-registers EF's SQL functions on it), prepares its statement afresh and runs EF's
/// query pipeline, and SQLite cannot batch inserts, so a group commit of N jobs prepared N statements; on a
/// single-row read that was most of the request's work. This is the only path for those statements on SQLite;
/// everything else stays on EF. Nothing here names a column: the columns, their order and their value conversions
/// are read from EF's model of <see cref="Job"/>, so a column added to the model is inserted and read here too.
/// </summary>
internal sealed class SqliteJobStatements : IDisposable
{
    // Readers in use at once are bounded by the thread pool; a few more than that are never needed.
    private const int MaxIdleReaders = 64;

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly JobColumns _columns;
    private readonly Stack<ReadLane> _readers = new();
    private readonly Lock _readersLock = new();
    private readonly Lock _writerLock = new();
    private SqliteCommand? _insert;
    private bool _disposed;

    public SqliteJobStatements(string connectionString, string pragmas, IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);

        // Connections of its own, opened and configured once and kept open with their statements prepared.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        _pragmas = pragmas;
        _columns = new JobColumns(model.FindEntityType(typeof(Job)) ?? throw new InvalidOperationException("The model has no Job."));
    }

    /// <summary>The job with public id <paramref name="id"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Job? GetById(Guid clientId, Guid id) => Read(lane => lane.JobById, JobColumns.Text(id), clientId, _columns.ReadJob);

    /// <summary>The job numbered <paramref name="number"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Job? GetByNumber(Guid clientId, long number) => Read(lane => lane.JobByNumber, number, clientId, _columns.ReadJob);

    /// <summary>The status columns of the job with public id <paramref name="id"/> if it belongs to <paramref name="clientId"/>.</summary>
    public JobStatusView? GetStatusById(Guid clientId, Guid id) => Read(lane => lane.StatusById, JobColumns.Text(id), clientId, _columns.ReadStatus);

    /// <summary>The status columns of the job numbered <paramref name="number"/> if it belongs to <paramref name="clientId"/>.</summary>
    public JobStatusView? GetStatusByNumber(Guid clientId, long number) =>
        Read(lane => lane.StatusByNumber, number, clientId, _columns.ReadStatus);

    /// <summary>
    /// Inserts new <paramref name="jobs"/> in one transaction and, once it has committed, gives each the number the
    /// database assigned. One caller at a time (the group commit's writer), inside the database's write gate.
    /// </summary>
    public void Insert(IReadOnlyList<Job> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var numbers = new long[jobs.Count];
        lock (_writerLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var insert = _insert ??= Prepare(Open(), _columns.InsertSql, _columns.InsertParameters());
            using var transaction = insert.Connection!.BeginTransaction();
            insert.Transaction = transaction;
            try
            {
                for (var i = 0; i < jobs.Count; i++)
                {
                    _columns.Bind(insert, jobs[i]);

                    // Read to the end (not ExecuteScalar): SQLite finishes a statement, and its bookkeeping, only then.
                    using var reader = insert.ExecuteReader();
                    reader.Read();
                    numbers[i] = reader.GetInt64(0);
                    while (reader.Read())
                    {
                    }
                }
            }
            catch (SqliteException exception) when (exception.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
            {
                // Refused as EF's inserts are refused, so callers handle one kind of failure on every provider.
                throw new DbUpdateException("A new job was refused by a constraint (an idempotency key already used).", exception);
            }

            transaction.Commit();
        }

        // The numbers are the jobs' only once the commit has succeeded.
        for (var i = 0; i < jobs.Count; i++)
        {
            _columns.SetNumber(jobs[i], numbers[i]);
        }
    }

    public void Dispose()
    {
        lock (_writerLock)
        {
            _disposed = true;
            _insert?.Connection?.Dispose();
            _insert?.Dispose();
        }

        lock (_readersLock)
        {
            while (_readers.TryPop(out var lane))
            {
                lane.Dispose();
            }
        }
    }

    private TResult? Read<TKey, TResult>(Func<ReadLane, SqliteCommand> statement, TKey key, Guid clientId, Func<SqliteDataReader, TResult> map)
        where TResult : class
    {
        var lane = Rent();
        try
        {
            var command = statement(lane);
            command.Parameters[0].Value = key;
            command.Parameters[1].Value = JobColumns.Text(clientId);
            using var reader = command.ExecuteReader(CommandBehavior.SingleRow);
            return reader.Read() ? map(reader) : null;
        }
        finally
        {
            Return(lane);
        }
    }

    private ReadLane Rent()
    {
        lock (_readersLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_readers.TryPop(out var lane))
            {
                return lane;
            }
        }

        return new ReadLane(Open(), _columns);
    }

    private void Return(ReadLane lane)
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

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, IEnumerable<SqliteParameter> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        command.Prepare();
        return command;
    }

    /// <summary>A reader's connection and its prepared reads, used by one thread at a time.</summary>
    private sealed class ReadLane(SqliteConnection connection, JobColumns columns) : IDisposable
    {
        public SqliteCommand JobById { get; } = Prepare(connection, columns.SelectJob("Id"), KeyParameters());

        public SqliteCommand JobByNumber { get; } = Prepare(connection, columns.SelectJob("Number"), KeyParameters());

        public SqliteCommand StatusById { get; } = Prepare(connection, columns.SelectStatus("Id"), KeyParameters());

        public SqliteCommand StatusByNumber { get; } = Prepare(connection, columns.SelectStatus("Number"), KeyParameters());

        public void Dispose()
        {
            JobById.Dispose();
            JobByNumber.Dispose();
            StatusById.Dispose();
            StatusByNumber.Dispose();
            connection.Dispose();
        }

        private static SqliteParameter[] KeyParameters() => [new("$key", null), new("$client", null)];
    }

    /// <summary>
    /// The Job table as EF's model maps it: each property's column, its conversion to and from what SQLite stores,
    /// and compiled accessors, so rows are written and read the way EF writes and reads them.
    /// </summary>
    private sealed class JobColumns
    {
        private readonly Column[] _all;
        private readonly Column[] _inserted;
        private readonly Column _number;
        private readonly Column _id;
        private readonly Column _client;
        private readonly Func<Job> _newJob;
        private readonly int[] _statusColumns;
        private readonly Func<object?[], JobStatusView> _newStatus;

        public JobColumns(IEntityType job)
        {
            _all = [.. job.GetProperties().Select(p => new Column(p))];
            _inserted = [.. _all.Where(c => c.Property.ValueGenerated != ValueGenerated.OnAdd)];
            _number = ByProperty(nameof(Job.Number));
            _id = ByProperty(nameof(Job.Id));
            _client = ByProperty(nameof(Job.ClientId));
            _newJob = Expression.Lambda<Func<Job>>(Expression.New(typeof(Job).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes)
                ?? throw new InvalidOperationException("Job has no parameterless constructor for materialization."))).Compile();

            // The status view's parameters are the job properties of the same names, in the view's order.
            var constructor = typeof(JobStatusView).GetConstructors().Single();
            var parameters = constructor.GetParameters();
            _statusColumns = [.. parameters.Select(p => Array.FindIndex(_all, c => string.Equals(c.Property.Name, p.Name, StringComparison.OrdinalIgnoreCase)))];
            if (_statusColumns.Any(i => i < 0))
            {
                throw new InvalidOperationException("Every JobStatusView parameter must be a Job property of the same name.");
            }

            var values = Expression.Parameter(typeof(object?[]));
            _newStatus = Expression.Lambda<Func<object?[], JobStatusView>>(
                Expression.New(constructor, parameters.Select((p, i) => Expression.Convert(Expression.ArrayIndex(values, Expression.Constant(i)), p.ParameterType))),
                values).Compile();
            InsertSql = $"INSERT INTO {Table(job)} ({string.Join(", ", _inserted.Select(c => c.Quoted))}) " +
                $"VALUES ({string.Join(", ", _inserted.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))}) RETURNING {_number.Quoted}";
            _selectFrom = $" FROM {Table(job)} WHERE ";
        }

        private readonly string _selectFrom;

        public string InsertSql { get; }

        /// <summary>How SQLite stores a GUID key as EF writes it (upper-case text).</summary>
        public static string Text(Guid id) => id.ToString("D").ToUpperInvariant();

        public string SelectJob(string key) =>
            $"SELECT {string.Join(", ", _all.Select(c => c.Quoted))}{_selectFrom}{ByProperty(key).Quoted} = $key AND {_client.Quoted} = $client LIMIT 1";

        public string SelectStatus(string key) =>
            $"SELECT {string.Join(", ", _statusColumns.Select(i => _all[i].Quoted))}{_selectFrom}{ByProperty(key).Quoted} = $key AND {_client.Quoted} = $client LIMIT 1";

        public IEnumerable<SqliteParameter> InsertParameters() =>
            _inserted.Select((_, i) => new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));

        public void Bind(SqliteCommand insert, Job job)
        {
            for (var i = 0; i < _inserted.Length; i++)
            {
                insert.Parameters[i].Value = _inserted[i].ToStored(job) ?? DBNull.Value;
            }
        }

        public Job ReadJob(SqliteDataReader reader)
        {
            var job = _newJob();
            for (var i = 0; i < _all.Length; i++)
            {
                _all[i].Set(job, _all[i].FromStored(reader, i));
            }

            return job;
        }

        public JobStatusView ReadStatus(SqliteDataReader reader)
        {
            var values = new object?[_statusColumns.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = _all[_statusColumns[i]].FromStored(reader, i);
            }

            return _newStatus(values);
        }

        public void SetNumber(Job job, long number) => _number.Set(job, number);

        private Column ByProperty(string name) => _all.Single(c => c.Property.Name == name);

        private static string Table(IEntityType job) => "\"" + (job.GetTableName() ?? throw new InvalidOperationException("Job is not mapped to a table.")) + "\"";
    }

    /// <summary>One mapped property: its column, its conversion and compiled accessors.</summary>
    private sealed class Column
    {
        private readonly ValueConverter? _converter;
        private readonly Func<Job, object?> _get;
        private readonly Action<Job, object?> _set;
        private readonly Func<SqliteDataReader, int, object> _read;

        public Column(IProperty property)
        {
            Property = property;
            Quoted = "\"" + property.GetColumnName() + "\"";
            _converter = property.GetValueConverter() ?? property.GetTypeMapping().Converter;
            var stored = _converter?.ProviderClrType ?? property.ClrType;
            stored = Nullable.GetUnderlyingType(stored) ?? stored;

            var job = Expression.Parameter(typeof(Job));
            var value = Expression.Parameter(typeof(object));
            var member = property.FieldInfo is { } field
                ? Expression.Field(job, field)
                : Expression.Property(job, property.PropertyInfo ?? throw new InvalidOperationException($"Job.{property.Name} has no field or property."));
            _get = Expression.Lambda<Func<Job, object?>>(Expression.Convert(member, typeof(object)), job).Compile();
            _set = Expression.Lambda<Action<Job, object?>>(Expression.Assign(member, Expression.Convert(value, property.ClrType)), job, value).Compile();

            var reader = Expression.Parameter(typeof(SqliteDataReader));
            var ordinal = Expression.Parameter(typeof(int));
            var getFieldValue = typeof(SqliteDataReader).GetMethod(nameof(SqliteDataReader.GetFieldValue))!.MakeGenericMethod(stored);
            _read = Expression.Lambda<Func<SqliteDataReader, int, object>>(
                Expression.Convert(Expression.Call(reader, getFieldValue, ordinal), typeof(object)), reader, ordinal).Compile();
        }

        public IProperty Property { get; }

        public string Quoted { get; }

        /// <summary>The value as SQLite stores it (EF's conversion applied; a GUID as EF's upper-case text).</summary>
        public object? ToStored(Job job)
        {
            var value = _get(job);
            if (value is null)
            {
                return null;
            }

            value = _converter is null ? value : _converter.ConvertToProvider(value);
            return value is Guid guid ? JobColumns.Text(guid) : value;
        }

        public object? FromStored(SqliteDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                return null;
            }

            var value = _read(reader, ordinal);
            return _converter is null ? value : _converter.ConvertFromProvider(value);
        }

        public void Set(Job job, object? value) => _set(job, value);
    }
}
