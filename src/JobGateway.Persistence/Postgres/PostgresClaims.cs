using JobGateway.Core.Jobs;
using JobGateway.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace JobGateway.Persistence.Postgres;

/// <summary>
/// Claim candidates on PostgreSQL. Instances (and the slots within one) that all read "the oldest Pending
/// jobs" read the same few rows, and all but one lose each conditional update: with ten claimers, most
/// rounds come back empty. <c>FOR UPDATE SKIP LOCKED</c> hands each claimer rows nobody else is looking at;
/// the caller holds the transaction open while it starts them, and the version-checked UPDATE still has the
/// last word.
/// </summary>
internal static class PostgresClaims
{
    // A running job of an exclusive type holds back its client's other jobs of that type (the unique index
    // IX_Jobs_OneRunningExclusivePerClient still decides between two claimers that both pass this check).
    // One type per query, with the Pending status written as a literal, so that the plan reads the partial
    // index IX_Jobs_PendingTypeNumber in number order instead of sorting every Pending job of the types.
    private static readonly string CandidatesSql = $$"""
        SELECT j.* FROM "Jobs" AS j
        WHERE j."Status" = {{(int)JobStatus.Pending}}
          AND j."Type" = @type
          AND j."RunAfter" <= @now
          AND (@client IS NULL OR j."ClientId" = @client)
          AND (NOT (j."Type" = ANY(@exclusive))
               OR NOT EXISTS (SELECT 1 FROM "Jobs" AS r WHERE r."ClientId" = j."ClientId" AND r."Type" = j."Type" AND r."Status" = @running))
        ORDER BY j."Number"
        LIMIT @limit
        FOR UPDATE OF j SKIP LOCKED
        """;

    /// <summary>Reads and row-locks up to <paramref name="limit"/> claimable jobs; call inside a transaction.</summary>
    public static Task<List<Job>> LockCandidatesAsync(GatewayDbContext db, ClaimRequest request, string type, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        db.Jobs.FromSqlRaw(
                CandidatesSql,
                new NpgsqlParameter<int>("running", (int)JobStatus.Running),
                new NpgsqlParameter<string>("type", type),
                new NpgsqlParameter<string[]>("exclusive", JobConfiguration.ExclusiveTypes),
                new NpgsqlParameter<DateTimeOffset>("now", now),
                new NpgsqlParameter("client", NpgsqlDbType.Uuid) { Value = request.ClientId is { } id ? id : DBNull.Value },
                new NpgsqlParameter<int>("limit", limit))
            .ToListAsync(cancellationToken);
}
