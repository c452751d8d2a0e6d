using JobGateway.Core.Jobs;

namespace JobGateway.Persistence.Stores;

/// <summary>
/// The reads of one job by id or number that a provider runs by hand (JobColumns' statements) instead of through
/// EF: SqliteJobRows and PostgresJobRows. Each read is scoped to the client: another client's id or number reads as
/// absent.
/// </summary>
internal interface IJobRowReads
{
    Task<Job?> GetByIdAsync(Guid clientId, Guid id, CancellationToken cancellationToken);

    Task<Job?> GetByNumberAsync(Guid clientId, long number, CancellationToken cancellationToken);

    Task<JobStatusView?> GetStatusByIdAsync(Guid clientId, Guid id, CancellationToken cancellationToken);

    Task<JobStatusView?> GetStatusByNumberAsync(Guid clientId, long number, CancellationToken cancellationToken);
}
