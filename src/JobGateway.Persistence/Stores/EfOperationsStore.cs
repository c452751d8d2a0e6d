using System.Runtime.CompilerServices;
using JobGateway.Core.Jobs;
using JobGateway.Core.Operations;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Stores;

/// <summary>
/// The operators' reads on EF Core. The counts and the activity of finished jobs read the partial index of finished
/// jobs (IX_Jobs_Finished), the activity of creates the range of job numbers from the window's first create, the
/// unfinished counts of all clients the partial indexes of Pending and Running jobs; lists read the table backwards
/// from its newest number.
/// </summary>
internal sealed class EfOperationsStore(GatewayDbContext db) : IOperationsStore
{
    private const long TicksPerMinute = TimeSpan.TicksPerMinute;

    /// <summary>
    /// How far a job's number may be out of creation order: a create stamps <c>CreatedAt</c> and then waits for the
    /// group commit that gives it its number, which takes milliseconds; a minute allows for any pause between.
    /// </summary>
    internal static readonly TimeSpan NumberOrderSlack = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<JobCount>> CountAsync(Guid? clientId, CancellationToken cancellationToken)
    {
        var jobs = db.Jobs.AsNoTracking();
        var finished = await Scoped(jobs, clientId).Where(j => j.FinishedAt != null)
            .GroupBy(j => new { j.Status, j.Type })
            .Select(g => new JobCount(g.Key.Status, g.Key.Type, g.LongCount()))
            .ToListAsync(cancellationToken);
        return [.. finished, .. await UnfinishedAsync(JobStatus.Pending, clientId, cancellationToken), .. await UnfinishedAsync(JobStatus.Running, clientId, cancellationToken)];
    }

    public async Task<IReadOnlyList<MinuteActivity>> ActivityAsync(Guid? clientId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        // Creates are read by number, from the first job created in the window (the table's own key, or the client's
        // (ClientId, Number) index): no index on CreatedAt that every create would write. Finished jobs are read from
        // the partial index of finished jobs, sought by client first when there is one.
        var firstNumber = await FirstNumberCreatedSinceAsync(since - NumberOrderSlack, cancellationToken);
        var created = firstNumber is not { } number
            ? []
            : await MinutesAsync("CreatedAt", $"{(int)JobStatus.Pending}", number, clientId, since, cancellationToken);
        var finished = await MinutesAsync(
            "FinishedAt", "\"Status\"", null, clientId, since, cancellationToken,
            $"\"FinishedAt\" IS NOT NULL AND \"Status\" IN ({(int)JobStatus.Succeeded}, {(int)JobStatus.Failed}) AND ");
        return [.. created.Concat(finished)
            .GroupBy(r => r.Minute)
            .OrderBy(g => g.Key)
            .Select(g => new MinuteActivity(
                DateTimeOffset.FromUnixTimeSeconds(g.Key * 60),
                g.Where(r => r.Status == (int)JobStatus.Pending).Sum(r => r.Count),
                g.Where(r => r.Status == (int)JobStatus.Succeeded).Sum(r => r.Count),
                g.Where(r => r.Status == (int)JobStatus.Failed).Sum(r => r.Count)))];
    }

    public async Task<JobBrowsePage> BrowseAsync(Guid? clientId, JobBrowseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, JobBrowseQuery.MaxPageSize);
        var jobs = Filtered(Scoped(db.Jobs.AsNoTracking(), clientId), query);
        if (query.After is { } after)
        {
            // Paging back: the oldest of the newer jobs first, turned round below.
            var newer = await Summaries(jobs.Where(j => j.Number > after).OrderBy(j => j.Number).Take(limit + 1)).ToListAsync(cancellationToken);
            var hasNewer = newer.Count > limit;
            return new JobBrowsePage([.. newer.Take(limit).Reverse()], HasOlder: true, hasNewer);
        }

        if (query.Before is { } before)
        {
            jobs = jobs.Where(j => j.Number < before);
        }

        var rows = await Summaries(jobs.OrderByDescending(j => j.Number).Take(limit + 1)).ToListAsync(cancellationToken);
        return new JobBrowsePage([.. rows.Take(limit)], HasOlder: rows.Count > limit, HasNewer: query.Before is not null);
    }

    public Task<Job?> FindAsync(Guid? clientId, Guid id, CancellationToken cancellationToken) =>
        Scoped(db.Jobs.AsNoTracking(), clientId).FirstOrDefaultAsync(j => j.Id == id, cancellationToken);

    public async Task<IReadOnlyList<RunningJob>> ListRunningAsync(Guid? clientId, int max, CancellationToken cancellationToken)
    {
        var running = db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Running);
        if (clientId is { } client)
        {
            // The client's among every Running job (read through their partial index), as for the counts.
            var numbers = (await running.Select(j => new { j.Number, j.ClientId }).ToListAsync(cancellationToken))
                .Where(j => j.ClientId == client).Select(j => j.Number).ToArray();
            running = running.Where(j => numbers.Contains(j.Number));
        }

        return await running
            .OrderBy(j => j.LeaseOwner).ThenBy(j => j.Number)
            .Take(max)
            .Select(j => new RunningJob(j.Number, j.Id, j.ClientId, j.Type, j.Name, j.LeaseOwner, j.LeaseExpiresAt, j.StartedAt, j.Attempts, j.Progress, j.CancellationRequested))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TaskOverview>> ListTasksAsync(Guid? clientId, int offset, int limit, CancellationToken cancellationToken)
    {
        var tasks = db.AccountTasks.AsNoTracking();
        if (clientId is { } client)
        {
            tasks = tasks.Where(t => t.ClientId == client);
        }

        var page = await tasks.OrderBy(t => t.DateCreated).ThenBy(t => t.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        var lastJobs = page.Where(t => t.LastJobId is not null).Select(t => t.LastJobId!.Value).ToArray();
        var statuses = lastJobs.Length == 0
            ? []
            : await db.Jobs.AsNoTracking().Where(j => lastJobs.Contains(j.Id)).ToDictionaryAsync(j => j.Id, j => j.Status, cancellationToken);
        return [.. page.Select(t => new TaskOverview(t, t.LastJobId is { } id && statuses.TryGetValue(id, out var status) ? status : null))];
    }

    private static IQueryable<Job> Scoped(IQueryable<Job> jobs, Guid? clientId) =>
        clientId is { } client ? jobs.Where(j => j.ClientId == client) : jobs;

    private static IQueryable<Job> Filtered(IQueryable<Job> jobs, JobBrowseQuery query)
    {
        if (query.Statuses.Count > 0)
        {
            var statuses = query.Statuses.ToArray();
            jobs = jobs.Where(j => statuses.Contains(j.Status));
        }

        if (query.Type is { } type)
        {
            jobs = jobs.Where(j => j.Type == type);
        }

        if (query.ClientId is { } client)
        {
            jobs = jobs.Where(j => j.ClientId == client);
        }

        if (query.Surface is { } surface)
        {
            jobs = jobs.Where(j => j.Surface == surface);
        }

        if (query.ExternalRef is { } externalRef)
        {
            jobs = jobs.Where(j => j.ExternalRef == externalRef);
        }

        return jobs;
    }

    private static IQueryable<JobSummary> Summaries(IQueryable<Job> jobs) =>
        jobs.Select(j => new JobSummary(
            j.Number, j.Id, j.ClientId, j.Type, j.Name, j.Status, j.Surface, j.ExternalRef, j.Attempts, j.Progress,
            j.CancellationRequested, j.ErrorCode, j.CreatedAt, j.UpdatedAt, j.FinishedAt));

    // Pending or Running jobs per type, read through that status's partial index (the status is a literal in the SQL).
    // A client's are kept here rather than asked for in SQL: SQLite would take the equality on ClientId to the
    // (ClientId, Number) index and walk the client's whole history instead of its few unfinished jobs.
    private async Task<IEnumerable<JobCount>> UnfinishedAsync(JobStatus status, Guid? clientId, CancellationToken cancellationToken)
    {
        var jobs = status == JobStatus.Pending
            ? db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Pending)
            : db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Running);
        if (clientId is not { } client)
        {
            return await jobs.GroupBy(j => j.Type).Select(g => new JobCount(status, g.Key, g.LongCount())).ToListAsync(cancellationToken);
        }

        // Grouped by type first: grouped by client first, SQLite would read the (ClientId, Number) index for its order.
        var byClient = await jobs.GroupBy(j => new { j.Type, j.ClientId })
            .Select(g => new { g.Key.Type, g.Key.ClientId, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        return byClient.Where(c => c.ClientId == client).Select(c => new JobCount(status, c.Type, c.Count));
    }

    /// <summary>
    /// The number of the first job created at or after <paramref name="instant"/> (null: none), found by halving the
    /// range of numbers: numbers are given in commit order, so by number the jobs are in creation order to within
    /// <see cref="NumberOrderSlack"/>, which the caller searches back by. Each step reads one row by its key.
    /// </summary>
    internal async Task<long?> FirstNumberCreatedSinceAsync(DateTimeOffset instant, CancellationToken cancellationToken)
    {
        var jobs = db.Jobs.AsNoTracking();
        if (await jobs.MaxAsync(j => (long?)j.Number, cancellationToken) is not { } newest)
        {
            return null;
        }

        // Every job numbered below `low` was created before the instant; the first job at or after `high` after it.
        long low = 0, high = newest + 1;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            // None at all (the newest jobs deleted meanwhile) counts as created after the instant.
            var next = await jobs.Where(j => j.Number >= middle).OrderBy(j => j.Number)
                .Select(j => new { j.Number, j.CreatedAt }).FirstOrDefaultAsync(cancellationToken);
            if (next is null || next.CreatedAt >= instant)
            {
                high = middle;
            }
            else
            {
                low = next.Number + 1;
            }
        }

        return low > newest ? null : low;
    }

    // Rows per minute (as minutes since the Unix epoch) and status of one instant column, at or after `since`, that
    // meet `condition` and, with `fromNumber`, are numbered from it; `status` is the status column or, for creates, the
    // Pending literal. SQLite keeps instants as UTC ticks, PostgreSQL as timestamptz: each has its own minute arithmetic
    // and parameter, the rest is the same SQL.
    internal static FormattableString MinutesQuery(
        bool postgres, string column, string status, long? fromNumber, Guid? clientId, DateTimeOffset since, string condition = "")
    {
        var minute = postgres
            ? $"floor(extract(epoch FROM \"{column}\") / 60)::bigint"
            : $"(\"{column}\" - {DateTimeOffset.UnixEpoch.UtcTicks}) / {TicksPerMinute}";
        var sql = $"SELECT {minute} AS \"Minute\", {status} AS \"Status\", COUNT(*) AS \"Count\" FROM \"Jobs\" WHERE {condition}\"{column}\" >= {{0}}";
        List<object> values = [postgres ? since : since.UtcTicks];
        if (fromNumber is { } number)
        {
            values.Add(number);
            sql += $" AND \"Number\" >= {{{values.Count - 1}}}";
        }

        if (clientId is { } client)
        {
            // The SQLite model stores a Guid as upper-case text.
            values.Add(postgres ? client : client.ToString().ToUpperInvariant());
            sql += $" AND \"ClientId\" = {{{values.Count - 1}}}";
        }

        // A literal in GROUP BY would be read as a column's position: only the status column is grouped by.
        var groupBy = status.StartsWith('"') ? $" GROUP BY {minute}, {status}" : $" GROUP BY {minute}";
        return FormattableStringFactory.Create(sql + groupBy, [.. values]);
    }

    private async Task<List<MinuteRow>> MinutesAsync(
        string column, string status, long? fromNumber, Guid? clientId, DateTimeOffset since, CancellationToken cancellationToken, string condition = "") =>
        await db.Database.SqlQuery<MinuteRow>(MinutesQuery(db.Database.IsNpgsql(), column, status, fromNumber, clientId, since, condition))
            .ToListAsync(cancellationToken);

    private sealed record MinuteRow(long Minute, int Status, long Count);
}
