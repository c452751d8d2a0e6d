using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using JobGateway.Core.Notifications;
using JobGateway.Core.Telemetry;
using JobGateway.Persistence.Configurations;
using JobGateway.Persistence.Postgres;
using JobGateway.Persistence.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Stores;

/// <summary>
/// The job store on EF Core, provider-neutral, except that on SQLite the reads of one job run on
/// <see cref="SqliteJobStatements"/>. The request's context is rented only when a method needs it.
/// </summary>
internal sealed class EfJobStore(
    Lazy<GatewayDbContext> context,
    TimeProvider time,
    JobWriteBatcher batcher,
    JobUpdateWriter updates,
    GatewayTelemetry telemetry,
    SqliteJobStatements? sqlite = null) : IJobStore
{
    private GatewayDbContext Db => context.Value;

    // A concurrent writer can only win a handful of times in a row; past that something is wrong.
    private const int MaxConcurrencyRetries = 8;

    private const string LikeEscape = "\\";

    public async Task<CreateJobResult> CreateAsync(NewJob request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = telemetry.StartCreate(request);
        if (request.IdempotencyKey is { } key)
        {
            var existing = await FindByKeyAsync(request.ClientId, key, cancellationToken);
            if (existing is not null)
            {
                return Replay(existing, request);
            }
        }

        // Every create goes through group commit. A key another create committed since the read above makes the
        // unique index refuse this insert: that other create is the original.
        var job = Job.Create(request, time.GetUtcNow());
        try
        {
            // The caller stops waiting when its request is cancelled (the request timeout): the job may still commit
            // with its batch, which is why a retry should carry the same idempotency key.
            await batcher.WriteAsync(job).WaitAsync(cancellationToken);
        }
        catch (DbUpdateException) when (request.IdempotencyKey is { } raced)
        {
            var original = await FindByKeyAsync(request.ClientId, raced, cancellationToken);
            if (original is null)
            {
                throw;
            }

            return Replay(original, request);
        }

        telemetry.JobCreated(job, activity);
        return new CreateJobResult(job, CreateOutcome.Created);
    }

    // The Pending status is a literal in the SQL, so the partial index IX_Jobs_PendingClientTypeNumber serves the count alone.
    public Task<int> CountPendingAsync(Guid clientId, int atMost, CancellationToken cancellationToken) =>
        PendingOf(Db, clientId).Take(atMost).CountAsync(cancellationToken);

    internal static IQueryable<Job> PendingOf(GatewayDbContext db, Guid clientId) =>
        db.Jobs.Where(j => j.ClientId == clientId && j.Status == JobStatus.Pending);

    public Task<Job?> GetAsync(Guid clientId, Guid id, CancellationToken cancellationToken) =>
        sqlite is null ? Db.CompiledReads.JobById(Db, clientId, id, cancellationToken) : Task.FromResult(sqlite.GetById(clientId, id));

    public Task<Job?> GetByNumberAsync(Guid clientId, long number, CancellationToken cancellationToken) =>
        sqlite is null ? Db.CompiledReads.JobByNumber(Db, clientId, number, cancellationToken) : Task.FromResult(sqlite.GetByNumber(clientId, number));

    public Task<JobStatusView?> GetStatusAsync(Guid clientId, Guid id, CancellationToken cancellationToken) =>
        sqlite is null ? Db.CompiledReads.StatusById(Db, clientId, id, cancellationToken) : Task.FromResult(sqlite.GetStatusById(clientId, id));

    public Task<JobStatusView?> GetStatusByNumberAsync(Guid clientId, long number, CancellationToken cancellationToken) =>
        sqlite is null
            ? Db.CompiledReads.StatusByNumber(Db, clientId, number, cancellationToken)
            : Task.FromResult(sqlite.GetStatusByNumber(clientId, number));

    public async Task<JobPage> ListAsync(Guid clientId, JobQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, JobQuery.MaxPageSize);
        var jobs = Db.Jobs.AsNoTracking().Where(j => j.ClientId == clientId);
        if (query.Statuses.Count > 0)
        {
            var statuses = query.Statuses.ToArray();
            jobs = jobs.Where(j => statuses.Contains(j.Status));
        }

        if (query.Types.Count > 0)
        {
            var types = query.Types.ToArray();
            jobs = jobs.Where(j => types.Contains(j.Type));
        }

        if (query.ExternalRef is { } externalRef)
        {
            jobs = jobs.Where(j => j.ExternalRef == externalRef);
        }

        if (query.CreatedFrom is { } from)
        {
            jobs = jobs.Where(j => j.CreatedAt >= from);
        }

        if (query.CreatedTo is { } to)
        {
            jobs = jobs.Where(j => j.CreatedAt < to);
        }

        if (query.CreatedAfter is { } after)
        {
            jobs = jobs.Where(j => j.CreatedAt > after);
        }

        if (query.CreatedUntil is { } until)
        {
            jobs = jobs.Where(j => j.CreatedAt <= until);
        }

        if (query.ExternalRefs.Count > 0)
        {
            var externalRefs = query.ExternalRefs.ToArray();
            jobs = jobs.Where(j => j.ExternalRef != null && externalRefs.Contains(j.ExternalRef));
        }

        if (query.ExternalRefLike is { } like)
        {
            // SQLite's LIKE ignores ASCII case and PostgreSQL's does not: comparing lower() with a lower-cased
            // pattern gives both the same answer. The escape character keeps '%' and '_' literal.
            var pattern = LikePattern(like);
#pragma warning disable CA1304, CA1311 // Translated to SQL lower(); no .NET culture is involved.
            jobs = jobs.Where(j => j.ExternalRef != null && EF.Functions.Like(j.ExternalRef.ToLower(), pattern, LikeEscape));
#pragma warning restore CA1304, CA1311
        }

        if (query.Ids.Count > 0)
        {
            var ids = query.Ids.ToArray();
            jobs = jobs.Where(j => ids.Contains(j.Id));
        }

        int? total = query.IncludeTotal ? await jobs.CountAsync(cancellationToken) : null;

        if (query.AfterNumber is { } afterNumber)
        {
            jobs = jobs.Where(j => j.Number > afterNumber);
        }

        var ordered = jobs.OrderBy(j => j.Number).AsQueryable();
        if (query.Offset > 0)
        {
            ordered = ordered.Skip(query.Offset);
        }

        // One extra row tells whether another page follows without a second query.
        var rows = await ordered.Take(limit + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return new JobPage(rows, total, hasMore);
    }

    /// <summary>
    /// Through <see cref="JobUpdateWriter"/>: committed with the other changes queued meanwhile. A cancelled caller stops
    /// waiting; its change may still commit with its batch.
    /// </summary>
    public Task<Job?> UpdateAsync(Guid? clientId, Guid id, Action<Job> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return updates.UpdateAsync(clientId, id, change).WaitAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(Guid clientId, Guid id, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            Db.ChangeTracker.Clear();
            var job = await Db.Jobs.FirstOrDefaultAsync(j => j.Id == id && j.ClientId == clientId, cancellationToken);
            if (job is null)
            {
                return false;
            }

            job.EnsureDeletable();
            Db.Jobs.Remove(job);
            try
            {
                await Db.SaveChangesAsync(cancellationToken);
                Db.ChangeTracker.Clear();
                return true;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // It changed (perhaps it was claimed) since we read it; decide again on the fresh row.
            }
        }
    }

    public async Task<IReadOnlyList<Job>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MaxJobs <= 0 || request.Types.Count == 0)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var types = request.Types.ToArray();
        Db.ChangeTracker.Clear();

        // On PostgreSQL the candidates are row-locked (SKIP LOCKED) until the transaction commits, so
        // concurrent claimers take different jobs. Each SaveChanges below then runs under an automatic
        // savepoint: a refused save rolls back to it without aborting the transaction.
        var locking = Db.Database.IsNpgsql();
        await using var transaction = locking ? await Db.Database.BeginTransactionAsync(cancellationToken) : null;

        // Read a few more candidates than asked for: others may claim some of them first. One query per type,
        // each the oldest of that type's Pending jobs read in order from IX_Jobs_PendingTypeNumber, merged here:
        // a single query over all the types would sort the whole backlog on every claim. Jobs of an exclusive
        // type wait while their client already runs one (the unique index has the last word).
        var candidates = await CandidatesAsync(request, types, now, locking, cancellationToken);

        // The whole batch is started in one save (one transaction, one commit). Should another claimer have taken
        // one of them meanwhile (its version moved) or another of a client's exclusive jobs have started (the unique
        // index), the batch is claimed again one job at a time, and each refused job is skipped.
        var chosen = Choose(candidates, request.MaxJobs);
        chosen.ForEach(j => j.Start(request.WorkerId, now + request.LeaseDuration, now));
        List<Job> claimed;
        try
        {
            await Db.SaveChangesAsync(cancellationToken);
            claimed = chosen;
        }
        catch (DbUpdateException)
        {
            Db.ChangeTracker.Clear();
            claimed = await ClaimEachAsync(Choose(await CandidatesAsync(request, types, now, locking, cancellationToken), request.MaxJobs), request, now, cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        Db.ChangeTracker.Clear();
        foreach (var job in claimed)
        {
            telemetry.JobClaimed(job, now);
        }

        return claimed;
    }

    private async Task<List<Job>> CandidatesAsync(ClaimRequest request, string[] types, DateTimeOffset now, bool locking, CancellationToken cancellationToken)
    {
        var limit = request.MaxJobs * 2;
        var candidates = new List<Job>(limit);
        foreach (var type in types)
        {
            candidates.AddRange(locking
                ? await PostgresClaims.LockCandidatesAsync(Db, request, type, now, limit, cancellationToken)
                : await Candidates(Db, type, now, request.ClientId, limit).ToListAsync(cancellationToken));
        }

        candidates.Sort((a, b) => a.Number.CompareTo(b.Number));
        return candidates;
    }

    // The oldest candidates up to the limit, one job per client of each exclusive type.
    private static List<Job> Choose(List<Job> candidates, int max)
    {
        var chosen = new List<Job>(max);
        var started = new HashSet<(Guid, string)>();
        foreach (var job in candidates)
        {
            if (chosen.Count == max)
            {
                break;
            }

            if (!JobConfiguration.ExclusiveTypes.Contains(job.Type) || started.Add((job.ClientId, job.Type)))
            {
                chosen.Add(job);
            }
        }

        return chosen;
    }

    // Starts each chosen job in a save of its own, skipping the ones another claimer took first.
    private async Task<List<Job>> ClaimEachAsync(List<Job> chosen, ClaimRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = new List<Job>(chosen.Count);
        foreach (var job in chosen)
        {
            job.Start(request.WorkerId, now + request.LeaseDuration, now);
            try
            {
                // One conditional UPDATE ... WHERE Number = @n AND Version = @v: exactly one claimer sees one
                // affected row; every other one gets a concurrency exception and moves on.
                await Db.SaveChangesAsync(cancellationToken);
                claimed.Add(job);
            }
            catch (DbUpdateException)
            {
                // Not ours: forget it and the outbox rows its save added, but keep the other candidates tracked.
                Db.Entry(job).State = EntityState.Detached;
                foreach (var pendingEvent in Db.ChangeTracker.Entries<JobEvent>().Where(e => e.State == EntityState.Added).ToList())
                {
                    pendingEvent.State = EntityState.Detached;
                }
            }
        }

        return claimed;
    }

    /// <summary>
    /// The oldest <paramref name="limit"/> claimable Pending jobs of one type (SQLite's claim candidates; the
    /// Pending status is a literal in the SQL, which is what lets the partial index serve the order).
    /// </summary>
    internal static IQueryable<Job> Candidates(GatewayDbContext Db, string type, DateTimeOffset now, Guid? clientId, int limit)
    {
        var pending = Db.Jobs.Where(j => j.Status == JobStatus.Pending && j.Type == type && j.RunAfter <= now);
        if (clientId is { } id)
        {
            pending = pending.Where(j => j.ClientId == id);
        }

        if (JobConfiguration.ExclusiveTypes.Contains(type))
        {
            pending = pending.Where(j => !Db.Jobs.Any(r => r.ClientId == j.ClientId && r.Type == j.Type && r.Status == JobStatus.Running));
        }

        return pending.OrderBy(j => j.Number).Take(limit);
    }

    public async Task<IReadOnlyList<Job>> FindExpiredLeasesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        await Db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Running && j.LeaseExpiresAt <= now)
            .OrderBy(j => j.LeaseExpiresAt)
            .Take(max)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<JobEvent>> ListEventsAsync(Guid clientId, Guid id, CancellationToken cancellationToken) =>
        await Db.JobEvents.AsNoTracking()
            .Where(e => e.ClientId == clientId && e.JobId == id)
            .OrderBy(e => e.Id)
            .ToListAsync(cancellationToken);

    private static string LikePattern(string wildcards)
    {
        var pattern = new System.Text.StringBuilder(wildcards.Length + 2);
        foreach (var c in wildcards.ToLowerInvariant())
        {
            if (c == '*')
            {
                pattern.Append('%');
                continue;
            }

            if (c is '%' or '_' || c == LikeEscape[0])
            {
                pattern.Append(LikeEscape[0]);
            }

            pattern.Append(c);
        }

        return pattern.ToString();
    }

    private Task<Job?> FindByKeyAsync(Guid clientId, string key, CancellationToken cancellationToken) =>
        Db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.ClientId == clientId && j.IdempotencyKey == key, cancellationToken);

    private static CreateJobResult Replay(Job existing, NewJob request) =>
        string.Equals(existing.RequestHash, request.Fingerprint(), StringComparison.Ordinal)
            ? new CreateJobResult(existing, CreateOutcome.Replayed)
            : new CreateJobResult(null, CreateOutcome.KeyConflict);
}
