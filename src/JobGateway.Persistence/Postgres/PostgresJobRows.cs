using System.Data;
using JobGateway.Core.Jobs;
using JobGateway.Persistence.Stores;
using Npgsql;

namespace JobGateway.Persistence.Postgres;

/// <summary>
/// The reads of one job by id or number on PostgreSQL, straight on Npgsql: a command of the data source (a pooled
/// connection for the one statement, auto-prepared after a few runs, see <see cref="PostgresConnectionDefaults"/>)
/// read by position. Through EF each read also rented a pooled <c>DbContext</c> and ran its query pipeline and
/// shaper. The statements (JobColumns) must follow the model; the store tests read what EF wrote through here.
/// </summary>
internal sealed class PostgresJobRows(NpgsqlDataSource dataSource) : IJobRowReads
{
    /// <summary>The job with public id <paramref name="id"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Task<Job?> GetByIdAsync(Guid clientId, Guid id, CancellationToken cancellationToken) =>
        ReadAsync(JobColumns.SelectById, id, clientId, MapJob, cancellationToken);

    /// <summary>The job numbered <paramref name="number"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Task<Job?> GetByNumberAsync(Guid clientId, long number, CancellationToken cancellationToken) =>
        ReadAsync(JobColumns.SelectByNumber, number, clientId, MapJob, cancellationToken);

    /// <summary>The status of the job with public id <paramref name="id"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Task<JobStatusView?> GetStatusByIdAsync(Guid clientId, Guid id, CancellationToken cancellationToken) =>
        ReadAsync(JobColumns.SelectStatusById, id, clientId, MapStatus, cancellationToken);

    /// <summary>The status of the job numbered <paramref name="number"/> if it belongs to <paramref name="clientId"/>.</summary>
    public Task<JobStatusView?> GetStatusByNumberAsync(Guid clientId, long number, CancellationToken cancellationToken) =>
        ReadAsync(JobColumns.SelectStatusByNumber, number, clientId, MapStatus, cancellationToken);

    private async Task<TRow?> ReadAsync<TKey, TRow>(
        string sql, TKey key, Guid clientId, Func<NpgsqlDataReader, Guid, TRow> map, CancellationToken cancellationToken)
        where TRow : class
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<TKey> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = clientId });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? map(reader, clientId) : null;
    }

    // The client is the one the row was matched on, so its column is not read again.
    private static Job MapJob(NpgsqlDataReader r, Guid clientId) => Job.Restore(
        r.GetInt64(0), r.GetGuid(1), clientId, r.GetString(3), Text(r, 4), Text(r, 5), Text(r, 6), Text(r, 7), Text(r, 8),
        (JobStatus)r.GetInt32(9), r.GetInt32(10), r.GetInt32(11), Text(r, 12), Text(r, 13), Text(r, 14), Text(r, 15),
        Instant(r, 16), Instant(r, 17), OptionalInstant(r, 18), OptionalInstant(r, 19), Instant(r, 20), Text(r, 21),
        OptionalInstant(r, 22), r.GetBoolean(23), r.GetInt64(24));

    private static JobStatusView MapStatus(NpgsqlDataReader r, Guid clientId) => new(
        r.GetInt64(0), r.GetGuid(1), Text(r, 2), (JobStatus)r.GetInt32(3), r.GetInt32(4), Text(r, 5), Text(r, 6), Text(r, 7),
        Text(r, 8), Instant(r, 9), OptionalInstant(r, 10), OptionalInstant(r, 11));

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    // timestamptz: the gateway's instants are all UTC.
    private static DateTimeOffset Instant(NpgsqlDataReader r, int i) => r.GetFieldValue<DateTimeOffset>(i);

    private static DateTimeOffset? OptionalInstant(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
