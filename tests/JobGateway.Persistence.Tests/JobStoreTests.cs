using JobGateway.Core;
using JobGateway.Core.Jobs;
using JobGateway.Persistence.Tests.Postgres;

namespace JobGateway.Persistence.Tests;

public sealed class SqliteJobStoreTests(SqliteStoreFixture fixture) : JobStoreTests<SqliteStoreFixture>(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class PostgresJobStoreTests(PostgresStoreFixture fixture) : JobStoreTests<PostgresStoreFixture>(fixture), IClassFixture<PostgresStoreFixture>;

/// <summary>The store's contract, run on every provider.</summary>
public abstract class JobStoreTests<TFixture>(TFixture fixture)
    where TFixture : IStoreFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [StoreFact]
    public async Task Create_AssignsIncreasingNumbers()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();

        var a = await store.CreateAsync(new NewJob(client, "t"), default);
        var b = await store.CreateAsync(new NewJob(client, "t"), default);

        Assert.Equal(CreateOutcome.Created, a.Outcome);
        Assert.True(b.Job!.Number > a.Job!.Number);
    }

    [StoreFact]
    public async Task CountPending_CountsTheClientsPendingJobsOnly_UpToTheLimitAsked()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var type = "count-" + Guid.NewGuid().ToString("N")[..8];
        var jobs = new List<Job>();
        for (var i = 0; i < 5; i++)
        {
            jobs.Add((await store.CreateAsync(new NewJob(client, type), default)).Job!);
        }

        await store.CreateAsync(new NewJob(Guid.NewGuid(), type), default);
        await store.UpdateAsync(client, jobs[0].Id, j => j.RequestCancellation(fixture.Clock.GetUtcNow()), default);
        await store.ClaimAsync(new ClaimRequest("w", [type], 1, Lease) { ClientId = client }, default);

        Assert.Equal(3, await fixture.NewStore().CountPendingAsync(client, 100, default));
        Assert.Equal(2, await fixture.NewStore().CountPendingAsync(client, 2, default));
        Assert.Equal(0, await fixture.NewStore().CountPendingAsync(Guid.NewGuid(), 100, default));
    }

    [StoreFact]
    public async Task Create_IsIdempotentPerClientAndKey()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var request = new NewJob(client, "t", "n", """{"a":1}""", "r", "key");

        var first = await store.CreateAsync(request, default);
        var replay = await store.CreateAsync(request, default);
        var conflict = await store.CreateAsync(request with { Payload = """{"a":2}""" }, default);
        var otherClient = await store.CreateAsync(request with { ClientId = Guid.NewGuid() }, default);

        Assert.Equal(CreateOutcome.Replayed, replay.Outcome);
        Assert.Equal(first.Job!.Id, replay.Job!.Id);
        Assert.Equal(CreateOutcome.KeyConflict, conflict.Outcome);
        Assert.Null(conflict.Job);
        Assert.Equal(CreateOutcome.Created, otherClient.Outcome);
    }

    [StoreFact]
    public async Task Create_ConcurrentSameKey_StoresOneJob()
    {
        var client = Guid.NewGuid();
        var request = new NewJob(client, "t", IdempotencyKey: "race");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => fixture.NewStore().CreateAsync(request, default))));

        Assert.Single(results.Select(r => r.Job!.Id).Distinct());
        Assert.Single(results, r => r.Outcome == CreateOutcome.Created);
        var page = await fixture.NewStore().ListAsync(client, new JobQuery { IncludeTotal = true }, default);
        Assert.Equal(1, page.Total);
    }

    [StoreFact]
    public async Task Get_IsScopedToTheClient()
    {
        var store = fixture.NewStore();
        var owner = Guid.NewGuid();
        var job = (await store.CreateAsync(new NewJob(owner, "t"), default)).Job!;

        Assert.NotNull(await store.GetAsync(owner, job.Id, default));
        Assert.NotNull(await store.GetByNumberAsync(owner, job.Number, default));
        Assert.Null(await store.GetAsync(Guid.NewGuid(), job.Id, default));
        Assert.Null(await store.GetByNumberAsync(Guid.NewGuid(), job.Number, default));
        Assert.Null(await store.UpdateAsync(Guid.NewGuid(), job.Id, j => j.RequestCancellation(fixture.Clock.GetUtcNow()), default));
        Assert.False(await store.DeleteAsync(Guid.NewGuid(), job.Id, default));
        Assert.Equal(JobStatus.Pending, (await store.GetAsync(owner, job.Id, default))!.Status);
    }

    [StoreFact]
    public async Task StatusReads_AreTheJobsStatusColumns_AndScopedToTheClient()
    {
        var store = fixture.NewStore();
        var owner = Guid.NewGuid();
        var type = $"status-{Guid.NewGuid():N}";
        var pending = (await store.CreateAsync(new NewJob(owner, type, "queued one", """{"big":"payload"}"""), default)).Job!;
        var failing = (await store.CreateAsync(new NewJob(owner, type, "failing one"), default)).Job!;
        var succeeding = (await store.CreateAsync(new NewJob(owner, type), default)).Job!;
        var claimed = await store.ClaimAsync(new ClaimRequest("w1", [type], 10, Lease), default);
        Assert.Equal(3, claimed.Count);
        var now = fixture.Clock.GetUtcNow();
        await store.UpdateAsync(owner, pending.Id, j => j.Release("w1", now), default);
        await store.UpdateAsync(owner, failing.Id, j => j.Fail("w1", new JobError("E42", "it broke", "line 7"), now.AddSeconds(1)), default);
        await store.UpdateAsync(owner, succeeding.Id, j => j.Heartbeat("w1", now.AddMinutes(5), 60, now), default);
        await store.UpdateAsync(owner, succeeding.Id, j => j.Succeed("w1", """{"rows":3}""", now.AddSeconds(2)), default);

        foreach (var created in new[] { pending, failing, succeeding })
        {
            // Each read is the same view as the full job's, by id and by number.
            var job = (await store.GetAsync(owner, created.Id, default))!;
            var expected = JobStatusView.Of(job);
            Assert.Equal(expected, await store.GetStatusAsync(owner, created.Id, default));
            Assert.Equal(expected, await store.GetStatusByNumberAsync(owner, job.Number, default));

            // Another tenant's id or number reads as absent.
            Assert.Null(await store.GetStatusAsync(Guid.NewGuid(), created.Id, default));
            Assert.Null(await store.GetStatusByNumberAsync(Guid.NewGuid(), job.Number, default));
        }

        var failed = (await store.GetStatusAsync(owner, failing.Id, default))!;
        Assert.Equal((JobStatus.Failed, "failing one", "E42", "it broke", "line 7"), (failed.Status, failed.Name, failed.ErrorCode, failed.ErrorMessage, failed.ErrorDetails));
        Assert.NotNull(failed.StartedAt);
        Assert.Equal(now.AddSeconds(1), failed.FinishedAt);
        var succeeded = (await store.GetStatusByNumberAsync(owner, claimed.Single(j => j.Id == succeeding.Id).Number, default))!;
        Assert.Equal((JobStatus.Succeeded, 100, """{"rows":3}""", now.AddSeconds(2)), (succeeded.Status, succeeded.Progress, succeeded.Report, succeeded.FinishedAt));
        var queued = (await store.GetStatusAsync(owner, pending.Id, default))!;
        Assert.Equal((JobStatus.Pending, "queued one", (DateTimeOffset?)null), (queued.Status, queued.Name, queued.FinishedAt));
        Assert.Null(await store.GetStatusAsync(owner, Guid.NewGuid(), default));
        Assert.Null(await store.GetStatusByNumberAsync(owner, long.MaxValue, default));
    }

    [StoreFact]
    public async Task List_PagesByOffsetAndCursorAndCountsTotal()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        for (var i = 0; i < 7; i++)
        {
            await store.CreateAsync(new NewJob(client, i % 2 == 0 ? "even" : "odd", ExternalRef: $"r{i}"), default);
        }

        var byOffset = await store.ListAsync(client, new JobQuery { Offset = 2, Limit = 3, IncludeTotal = true }, default);
        var even = await store.ListAsync(client, new JobQuery { Types = ["even"], Limit = 100 }, default);
        var afterCursor = await store.ListAsync(client, new JobQuery { AfterNumber = byOffset.Items[^1].Number, Limit = 100 }, default);

        Assert.Equal(["r2", "r3", "r4"], byOffset.Items.Select(j => j.ExternalRef!));
        Assert.Equal(7, byOffset.Total);
        Assert.True(byOffset.HasMore);
        Assert.Equal(["r0", "r2", "r4", "r6"], even.Items.Select(j => j.ExternalRef!));
        Assert.False(even.HasMore);
        Assert.Equal(["r5", "r6"], afterCursor.Items.Select(j => j.ExternalRef!));
    }

    [StoreFact]
    public async Task Delete_Throws_WhileRunning_AndKeepsTheJob()
    {
        var type = UniqueType();
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var job = (await store.CreateAsync(new NewJob(client, type), default)).Job!;
        await store.ClaimAsync(new ClaimRequest("w", [type], 1, Lease), default);

        await Assert.ThrowsAsync<DomainException>(() => store.DeleteAsync(client, job.Id, default));

        Assert.Equal(JobStatus.Running, (await store.GetAsync(client, job.Id, default))!.Status);
    }

    [StoreFact]
    public async Task Claim_TakesOnlyPendingJobsOfTheTypesOldestFirst()
    {
        var type = UniqueType();
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var first = (await store.CreateAsync(new NewJob(client, type), default)).Job!;
        var second = (await store.CreateAsync(new NewJob(client, type), default)).Job!;
        await store.CreateAsync(new NewJob(client, UniqueType()), default);

        var claimed = await store.ClaimAsync(new ClaimRequest("w1", [type], 5, Lease), default);

        Assert.Equal([first.Id, second.Id], claimed.Select(j => j.Id));
        Assert.All(claimed, j =>
        {
            Assert.Equal(JobStatus.Running, j.Status);
            Assert.Equal("w1", j.LeaseOwner);
            Assert.Equal(fixture.Clock.GetUtcNow() + Lease, j.LeaseExpiresAt);
            Assert.Equal(1, j.Attempts);
        });
        Assert.Empty(await store.ClaimAsync(new ClaimRequest("w2", [type], 5, Lease), default));
    }

    [StoreFact]
    public async Task Claim_SkipsJobsInRetryBackOff()
    {
        var type = UniqueType();
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var job = (await store.CreateAsync(new NewJob(client, type), default)).Job!;
        await store.ClaimAsync(new ClaimRequest("w", [type], 1, Lease), default);
        var now = fixture.Clock.GetUtcNow();
        await store.UpdateAsync(client, job.Id, j => j.Retry("w", new JobError("e", "m"), now.AddMinutes(1), now), default);

        Assert.Empty(await store.ClaimAsync(new ClaimRequest("w", [type], 1, Lease), default));
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(await store.ClaimAsync(new ClaimRequest("w", [type], 1, Lease), default));
    }

    [StoreFact]
    public async Task Claim_ByConcurrentWorkers_NeverHandsAJobOutTwice()
    {
        var type = UniqueType();
        var client = Guid.NewGuid();
        var creator = fixture.NewStore();
        for (var i = 0; i < 60; i++)
        {
            await creator.CreateAsync(new NewJob(client, type), default);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var store = fixture.NewStore();
            var mine = new List<Guid>();
            while (true)
            {
                var batch = await store.ClaimAsync(new ClaimRequest($"w{w}", [type], 3, Lease), default);
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(j => j.Id));
            }
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(60, all.Distinct().Count());
    }

    [StoreFact]
    public async Task Claim_OfABatch_StartsOneExclusiveJobPerClientAndTheOthersOldestFirst()
    {
        var type = UniqueType();
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var store = fixture.NewStore();
        var created = new List<Job>();
        foreach (var (client, jobType) in new[] { (a, "billing-run"), (a, type), (a, "billing-run"), (b, "billing-run"), (b, type), (a, type) })
        {
            created.Add((await store.CreateAsync(new NewJob(client, jobType), default)).Job!);
        }

        var claimed = await store.ClaimAsync(new ClaimRequest("w", ["billing-run", type], 20, Lease), default);
        var mine = claimed.Where(j => j.ClientId == a || j.ClientId == b).Select(j => j.Id).ToList();

        // One billing run per client (a's oldest, b's), and every job of the other type, in creation order.
        Assert.Equal([created[0].Id, created[1].Id, created[3].Id, created[4].Id, created[5].Id], mine);
        Assert.DoesNotContain(await store.ClaimAsync(new ClaimRequest("w", ["billing-run"], 10, Lease), default), j => j.ClientId == a || j.ClientId == b);
    }

    [StoreFact]
    public async Task Update_ManyAtOnce_AreEachRecorded_AndARefusedOneFailsAlone()
    {
        var type = UniqueType();
        var client = Guid.NewGuid();
        var store = fixture.NewStore();
        for (var i = 0; i < 12; i++)
        {
            await store.CreateAsync(new NewJob(client, type), default);
        }

        var jobs = await store.ClaimAsync(new ClaimRequest("w", [type], 12, Lease), default);
        var now = fixture.Clock.GetUtcNow();

        // Queued together, committed together by the update writer; job 5 is completed by a worker that does not hold it.
        var outcomes = jobs.Select((j, i) => fixture.NewStore().UpdateAsync(client, j.Id, x => x.Succeed(i == 5 ? "intruder" : "w", null, now), default)).ToArray();
        await Assert.ThrowsAnyAsync<DomainException>(() => outcomes[5]);
        var done = await Task.WhenAll(outcomes.Where((_, i) => i != 5));

        Assert.All(done, j => Assert.Equal(JobStatus.Succeeded, j!.Status));
        var stored = await Task.WhenAll(jobs.Select(j => fixture.NewStore().GetAsync(client, j.Id, default)));
        Assert.Equal(11, stored.Count(j => j!.Status == JobStatus.Succeeded));
        Assert.Equal(JobStatus.Running, stored[5]!.Status);
    }

    [StoreFact]
    public async Task Update_ReappliesTheChangeAfterAConcurrentWrite()
    {
        var type = UniqueType();
        var client = Guid.NewGuid();
        var store = fixture.NewStore();
        var job = (await store.CreateAsync(new NewJob(client, type), default)).Job!;
        var calls = 0;

        var updated = await store.UpdateAsync(client, job.Id, j =>
        {
            // The first time, another writer claims the job between our read and our write.
            if (calls++ == 0)
            {
                fixture.NewStore().ClaimAsync(new ClaimRequest("w", [type], 1, Lease), default).GetAwaiter().GetResult();
            }

            j.RequestCancellation(fixture.Clock.GetUtcNow());
        }, default);

        Assert.Equal(2, calls);
        Assert.Equal(JobStatus.Running, updated!.Status);
        Assert.True(updated.CancellationRequested);
    }

    [StoreFact]
    public async Task Create_RecordsItsSurface_AndEveryReadReturnsIt()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();

        // Group commit (no key) and the keyed EF insert both write it; the hand-written reads and EF's read it back.
        var grouped = (await store.CreateAsync(new NewJob(client, "t") { Surface = JobSurface.ElasticPath }, default)).Job!;
        var keyed = (await store.CreateAsync(new NewJob(client, "t", IdempotencyKey: "k") { Surface = JobSurface.Scheduler }, default)).Job!;

        Assert.Equal(JobSurface.ElasticPath, (await fixture.NewStore().GetAsync(client, grouped.Id, default))!.Surface);
        Assert.Equal(JobSurface.ElasticPath, (await fixture.NewStore().GetByNumberAsync(client, grouped.Number, default))!.Surface);
        Assert.Equal(JobSurface.Scheduler, (await fixture.NewStore().GetAsync(client, keyed.Id, default))!.Surface);
        var listed = (await fixture.NewStore().ListAsync(client, new JobQuery(), default)).Items;
        Assert.Equal([JobSurface.ElasticPath, JobSurface.Scheduler], listed.Select(j => j.Surface));
    }

    [StoreFact]
    public async Task Requeue_OfAFailedJob_MakesItClaimableAgain_AsANewAttempt()
    {
        var type = UniqueType();
        var client = Guid.NewGuid();
        var store = fixture.NewStore();
        var job = (await store.CreateAsync(new NewJob(client, type), default)).Job!;
        Assert.Single(await store.ClaimAsync(new ClaimRequest("w", [type], 1, Lease), default));
        var now = fixture.Clock.GetUtcNow();
        await store.UpdateAsync(client, job.Id, j => j.Fail("w", new JobError("boom", "it broke"), now), default);

        var requeued = await fixture.NewStore().UpdateAsync(client, job.Id, j => j.Requeue(now), default);
        var again = Assert.Single(await fixture.NewStore().ClaimAsync(new ClaimRequest("w2", [type], 1, Lease), default));

        Assert.Equal((JobStatus.Pending, (DateTimeOffset?)null), (requeued!.Status, requeued.FinishedAt));
        Assert.Equal((job.Id, 2), (again.Id, again.Attempts));
        var events = await fixture.NewStore().ListEventsAsync(client, job.Id, default);
        Assert.Contains(events, e => (e.FromStatus, e.ToStatus) == (JobStatus.Failed, JobStatus.Pending));
        await Assert.ThrowsAsync<IllegalTransitionException>(() => fixture.NewStore().UpdateAsync(client, job.Id, j => j.Requeue(now), default));
    }

    private static string UniqueType() => "type-" + Guid.NewGuid().ToString("N")[..10];
}
