using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using JobGateway.Core.Jobs;
using JobGateway.Core.Operations;
using JobGateway.Persistence.Stores;
using JobGateway.Persistence.Tests.Postgres;

namespace JobGateway.Persistence.Tests;

public sealed class SqliteOperationsStoreTests(SqliteStoreFixture fixture) : OperationsStoreTests<SqliteStoreFixture>(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class PostgresOperationsStoreTests(PostgresStoreFixture fixture) : OperationsStoreTests<PostgresStoreFixture>(fixture), IClassFixture<PostgresStoreFixture>;

/// <summary>The operators' reads, on every provider; a null scope reaches every client's jobs.</summary>
public abstract class OperationsStoreTests<TFixture>(TFixture fixture)
    where TFixture : IStoreFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [StoreFact]
    public async Task Count_ByStatusAndType_IsScopedToTheClientOrCoversAll()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var (t1, t2) = (UniqueType(), UniqueType());
        var jobs = new List<Job>();
        foreach (var (client, type) in new[] { (a, t1), (a, t1), (a, t1), (a, t2), (b, t1) })
        {
            jobs.Add((await fixture.NewStore().CreateAsync(new NewJob(client, type), default)).Job!);
        }

        // a: t1 one succeeded, one running, one pending; t2 one failed. b: t1 one pending.
        await RunAsync(jobs[0], (j, now) => j.Succeed("w", null, now));
        await RunAsync(jobs[1], (j, now) => { });
        await RunAsync(jobs[3], (j, now) => j.Fail("w", new JobError("e", "m"), now));

        var ofA = await Store().CountAsync(a, default);
        var all = (await Store().CountAsync(null, default)).Where(c => c.Type == t1 || c.Type == t2).ToList();

        Assert.Equal(
            [new JobCount(JobStatus.Pending, t1, 1), new JobCount(JobStatus.Running, t1, 1), new JobCount(JobStatus.Succeeded, t1, 1), new JobCount(JobStatus.Failed, t2, 1)],
            ofA.OrderBy(c => c.Status).ThenBy(c => c.Type));
        Assert.Equal(2, all.Single(c => (c.Status, c.Type) == (JobStatus.Pending, t1)).Count);
        Assert.Equal(5, all.Sum(c => c.Count));
    }

    [StoreFact]
    public async Task Activity_CountsCreatesSuccessesAndFailuresPerMinute()
    {
        var client = Guid.NewGuid();
        var type = UniqueType();
        var start = fixture.Clock.GetUtcNow();
        var minute = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        var first = (await fixture.NewStore().CreateAsync(new NewJob(client, type), default)).Job!;
        var second = (await fixture.NewStore().CreateAsync(new NewJob(client, type, IdempotencyKey: "k"), default)).Job!;
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await fixture.NewStore().CreateAsync(new NewJob(client, type), default);
        await RunAsync(first, (j, now) => j.Succeed("w", null, now));
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await RunAsync(second, (j, now) => j.Fail("w", new JobError("e", "m"), now));

        var activity = await Store().ActivityAsync(client, minute.AddHours(-1), default);
        var later = await Store().ActivityAsync(client, minute.AddMinutes(1), default);
        var everyone = await Store().ActivityAsync(null, minute.AddHours(-1), default);

        Assert.Equal(
            [new MinuteActivity(minute, 2, 0, 0), new MinuteActivity(minute.AddMinutes(1), 1, 1, 0), new MinuteActivity(minute.AddMinutes(2), 0, 0, 1)],
            activity);
        Assert.Equal([minute.AddMinutes(1), minute.AddMinutes(2)], later.Select(m => m.Minute));
        Assert.True(everyone.Sum(m => m.Created) >= 3);
        Assert.Empty(await Store().ActivityAsync(Guid.NewGuid(), minute.AddHours(-1), default));
    }

    [StoreFact]
    public async Task Activity_CountsTheWindowsCreatesOnly_AmongOlderAndDeletedJobs()
    {
        var client = Guid.NewGuid();
        var type = UniqueType();
        var old = new List<Job>();
        for (var i = 0; i < 5; i++)
        {
            old.Add((await fixture.NewStore().CreateAsync(new NewJob(client, type), default)).Job!);
        }

        fixture.Clock.Advance(TimeSpan.FromHours(2));
        var start = fixture.Clock.GetUtcNow();
        var minute = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        var recent = new List<Job>();
        for (var i = 0; i < 3; i++)
        {
            recent.Add((await fixture.NewStore().CreateAsync(new NewJob(client, type), default)).Job!);
        }

        // Gaps in the numbers on both sides of the window's start: the newest old job and the first recent one.
        Assert.True(await fixture.NewStore().DeleteAsync(client, old[^1].Id, default));
        Assert.True(await fixture.NewStore().DeleteAsync(client, recent[0].Id, default));

        var activity = await Store().ActivityAsync(client, minute.AddHours(-1), default);
        var everyone = await Store().ActivityAsync(null, minute.AddHours(-1), default);
        var longAgo = await Store().ActivityAsync(client, minute.AddHours(-3), default);

        Assert.Equal([new MinuteActivity(minute, 2, 0, 0)], activity);
        Assert.Equal(2, everyone.Single(m => m.Minute == minute).Created);
        Assert.DoesNotContain(everyone, m => m.Minute < minute.AddHours(-1));
        Assert.Equal(6, longAgo.Sum(m => m.Created));
    }

    [StoreFact]
    public async Task Browse_FiltersAndPagesNewestFirst_BothWays()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var type = UniqueType();
        var created = new List<Job>();
        for (var i = 0; i < 7; i++)
        {
            var surface = i % 2 == 0 ? JobSurface.Native : JobSurface.SoapT2A;
            created.Add((await fixture.NewStore().CreateAsync(new NewJob(i == 6 ? b : a, type, ExternalRef: $"ref-{i % 3}") { Surface = surface }, default)).Job!);
        }

        await RunAsync(created[0], (j, now) => j.Fail("w", new JobError("e", "m"), now));
        var query = new JobBrowseQuery { Type = type, Limit = 3 };

        var first = await Store().BrowseAsync(a, query, default);
        var second = await Store().BrowseAsync(a, query with { Before = first.Items[^1].Number }, default);
        var back = await Store().BrowseAsync(a, query with { After = second.Items[0].Number }, default);

        Assert.Equal(created.Take(6).Reverse().Select(j => j.Number), first.Items.Concat(second.Items).Select(j => j.Number));
        Assert.Equal((true, false), (first.HasOlder, first.HasNewer));
        Assert.Equal((false, true), (second.HasOlder, second.HasNewer));
        Assert.Equal(first.Items, back.Items);
        Assert.Equal((true, false), (back.HasOlder, back.HasNewer));

        Assert.Equal([created[0].Id], (await Store().BrowseAsync(a, query with { Statuses = [JobStatus.Failed] }, default)).Items.Select(j => j.Id));
        Assert.Equal([4, 2, 0], (await Store().BrowseAsync(a, query with { Surface = JobSurface.Native, Limit = 10 }, default)).Items.Select(j => created.FindIndex(c => c.Id == j.Id)));
        Assert.Equal([4, 1], (await Store().BrowseAsync(a, query with { ExternalRef = "ref-1" }, default)).Items.Select(j => created.FindIndex(c => c.Id == j.Id)));
        Assert.Equal([created[6].Id], (await Store().BrowseAsync(null, query with { ClientId = b }, default)).Items.Select(j => j.Id));
        Assert.Empty((await Store().BrowseAsync(a, query with { ClientId = b }, default)).Items);
        Assert.Equal(7, (await Store().BrowseAsync(null, query with { Limit = 100 }, default)).Items.Count);
        var summary = first.Items[0];
        Assert.Equal((created[5].Id, a, JobSurface.SoapT2A, "ref-2", JobStatus.Pending), (summary.Id, summary.ClientId, summary.Surface, summary.ExternalRef, summary.Status));
    }

    [StoreFact]
    public async Task Find_AndRunningJobs_AreScoped()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var type = UniqueType();
        var mine = (await fixture.NewStore().CreateAsync(new NewJob(a, type, "mine"), default)).Job!;
        var theirs = (await fixture.NewStore().CreateAsync(new NewJob(b, type), default)).Job!;
        await RunAsync(mine, (j, now) => { });

        Assert.Equal("mine", (await Store().FindAsync(a, mine.Id, default))?.Name);
        Assert.Null(await Store().FindAsync(a, theirs.Id, default));
        Assert.NotNull(await Store().FindAsync(null, theirs.Id, default));
        var running = Assert.Single(await Store().ListRunningAsync(a, 100, default));
        Assert.Equal((mine.Id, "w", 1), (running.Id, running.LeaseOwner, running.Attempts));
        Assert.Equal(fixture.Clock.GetUtcNow() + Lease, running.LeaseExpiresAt);
        Assert.Contains(await Store().ListRunningAsync(null, 1000, default), r => r.Id == mine.Id);
        Assert.Empty(await Store().ListRunningAsync(b, 100, default));
    }

    [StoreFact]
    public async Task Tasks_AreScoped_WithTheirLastRunsLiveStatus()
    {
        var (a, b) = (await NewClientAsync(), await NewClientAsync());
        var task = AccountTask.Create(a, new AccountTaskSpec(Guid.NewGuid(), TaskFrequency.Daily, null, null, "{}", "application/json", TaskNotification.None), "t", fixture.Clock.GetUtcNow());
        await new EfAccountTaskStore(fixture.NewContext()).AddAsync(task, default);
        var other = AccountTask.Create(b, new AccountTaskSpec(Guid.NewGuid(), TaskFrequency.Hourly, null, null, "{}", "application/json", TaskNotification.None), "t", fixture.Clock.GetUtcNow());
        await new EfAccountTaskStore(fixture.NewContext()).AddAsync(other, default);
        var run = (await fixture.NewStore().CreateAsync(task.NewRun(null), default)).Job!;
        await new EfAccountTaskStore(fixture.NewContext()).UpdateAsync(a, task.Id, t => t.RecordRun(run.Id, "t", fixture.Clock.GetUtcNow()), default);
        await fixture.NewStore().UpdateAsync(a, run.Id, j => j.RequestCancellation(fixture.Clock.GetUtcNow()), default);

        var ofA = Assert.Single(await Store().ListTasksAsync(a, 0, 100, default));
        var all = await Store().ListTasksAsync(null, 0, 1000, default);

        Assert.Equal((task.Id, JobStatus.Cancelled), (ofA.Task.Id, ofA.LastRunStatus));
        Assert.Contains(all, t => t.Task.Id == other.Id && t.LastRunStatus is null);
        Assert.Contains(all, t => t.Task.Id == task.Id);
    }

    private EfOperationsStore Store() => new(fixture.NewContext());

    // Claims the job for worker "w" and applies the worker's outcome, both at the clock's time.
    private async Task RunAsync(Job job, Action<Job, DateTimeOffset> outcome)
    {
        var claimed = await fixture.NewStore().ClaimAsync(new ClaimRequest("w", [job.Type], 1, Lease) { ClientId = job.ClientId }, default);
        Assert.Contains(claimed, c => c.Id == job.Id);
        await fixture.NewStore().UpdateAsync(job.ClientId, job.Id, j => outcome(j, fixture.Clock.GetUtcNow()), default);
    }

    private async Task<Guid> NewClientAsync()
    {
        await using var db = fixture.NewContext();
        var client = Client.Create("ops-" + Guid.NewGuid().ToString("N"), fixture.Clock.GetUtcNow());
        var (key, _) = ApiKey.Issue(client.Id, ApiKeyRoles.Client, null, fixture.Clock.GetUtcNow());
        db.Clients.Add(client);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        return client.Id;
    }

    private static string UniqueType() => "ops-" + Guid.NewGuid().ToString("N")[..10];
}
