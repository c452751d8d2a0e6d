using JobGateway.Core.Jobs;
using JobGateway.Persistence.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Tests;

/// <summary>
/// The hand-written SQLite statements against EF's view of the same rows: what the group-commit insert writes,
/// EF reads back column for column, and the prepared reads return what EF wrote.
/// </summary>
public sealed class SqliteJobRowsTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task ABatch_IsInsertedInOneTransaction_WithEachNumberOnItsOwnJob()
    {
        using var rows = new SqliteJobRows($"Data Source={fixture.DatabasePath}", SqliteDurability.Normal, 5000);
        var client = Guid.NewGuid();
        var now = fixture.Clock.GetUtcNow();

        // 100 jobs: the prepared INSERT run once per job, all in one transaction.
        var jobs = Enumerable.Range(0, 100)
            .Select(i => Job.Create(new NewJob(client, $"rows-{i % 3}", $"name {i}", $$"""{"i":{{i}}}""", i % 2 == 0 ? $"ref-{i}" : null), now.AddTicks(i)))
            .ToList();
        rows.Insert(jobs);

        Assert.All(jobs, j => Assert.True(j.Number > 0));
        Assert.Equal(100, jobs.Select(j => j.Number).Distinct().Count());

        await using var db = fixture.NewContext();
        var stored = await db.Jobs.AsNoTracking().Where(j => j.ClientId == client).ToDictionaryAsync(j => j.Id);
        Assert.Equal(100, stored.Count);
        foreach (var job in jobs)
        {
            var row = stored[job.Id];
            Assert.Equal(job.Number, row.Number);
            Assert.Equal((job.Type, job.Name, job.Payload, job.ExternalRef), (row.Type, row.Name, row.Payload, row.ExternalRef));
            Assert.Equal((JobStatus.Pending, 0, 0, 1L, false), (row.Status, row.Attempts, row.Progress, row.Version, row.CancellationRequested));
            Assert.Equal((job.CreatedAt, job.UpdatedAt, job.RunAfter), (row.CreatedAt, row.UpdatedAt, row.RunAfter));
            Assert.Null(row.StartedAt);
            Assert.Null(row.LeaseOwner);

            var read = rows.GetByNumber(client, job.Number);
            Assert.NotNull(read);
            Assert.Equal(job.Id, read.Id);
            Assert.Equal(job.Payload, read.Payload);
        }

        // Another tenant's number or id reads as absent.
        Assert.Null(rows.GetByNumber(Guid.NewGuid(), jobs[0].Number));
        Assert.Null(rows.GetById(Guid.NewGuid(), jobs[0].Id));
    }

    [Fact]
    public async Task ReadsFromManyThreadsAtOnce_EachGetTheirOwnTenantsRow_AndEveryPooledConnectionSeesTheNextCommit()
    {
        var rows = new SqliteJobRows($"Data Source={fixture.DatabasePath}", SqliteDurability.Normal, 5000);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var now = fixture.Clock.GetUtcNow();
        var jobs = Enumerable.Range(0, 80)
            .Select(i => Job.Create(new NewJob(i % 2 == 0 ? a : b, "rows-pool", $"name {i}", $$"""{"i":{{i}}}"""), now))
            .ToList();
        rows.Insert(jobs);

        // Eight threads read at once, so the pool hands out several connections and takes them back concurrently.
        const int threads = 8;
        using var start = new Barrier(threads);
        var readers = Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 400; i++)
            {
                var job = jobs[(t * 31 + i * 7) % jobs.Count];
                var other = job.ClientId == a ? b : a;
                Assert.Equal(job.Number, rows.GetById(job.ClientId, job.Id)?.Number);
                Assert.Equal(job.Id, rows.GetStatusByNumber(job.ClientId, job.Number)?.Id);
                Assert.Null(rows.GetStatusById(other, job.Id));
                Assert.Null(rows.GetByNumber(other, job.Number));
            }
        })).ToArray();
        await Task.WhenAll(readers);

        // A commit made afterwards is seen by whichever idle connection serves the next reads: none of them keeps
        // an old snapshot open between reads.
        var later = Job.Create(new NewJob(a, "rows-pool", "later"), now);
        rows.Insert([later]);
        using var again = new Barrier(threads);
        var seen = await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Run(() =>
        {
            again.SignalAndWait();
            return rows.GetStatusById(a, later.Id)?.Number;
        })));
        Assert.All(seen, n => Assert.Equal(later.Number, n));

        rows.Dispose();
        Assert.Throws<ObjectDisposedException>(() => rows.GetById(a, later.Id));
    }

    [Fact]
    public async Task AJobThatIsNotNew_IsRefused_AndNothingOfItsBatchIsStored()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var created = (await store.CreateAsync(new NewJob(client, "rows-old"), default)).Job!;
        using var rows = new SqliteJobRows($"Data Source={fixture.DatabasePath}", SqliteDurability.Normal, 5000);
        var loaded = rows.GetById(client, created.Id)!;
        var fresh = Job.Create(new NewJob(client, "rows-old"), fixture.Clock.GetUtcNow());

        Assert.Throws<InvalidOperationException>(() => rows.Insert([fresh, loaded]));

        await using var db = fixture.NewContext();
        Assert.Equal(1, await db.Jobs.CountAsync(j => j.ClientId == client));
        Assert.Equal(0, fresh.Number);
    }

    [Fact]
    public async Task AJobChangedThroughEf_IsReadBackByThePreparedRead()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var created = (await store.CreateAsync(new NewJob(client, "rows-claim", ExternalRef: "x"), default)).Job!;
        var claimed = Assert.Single(await store.ClaimAsync(new ClaimRequest("w1", ["rows-claim"], 1, TimeSpan.FromMinutes(5)), default));
        var now = fixture.Clock.GetUtcNow();
        await store.UpdateAsync(client, created.Id, j => j.Heartbeat("w1", now.AddMinutes(5), 40, now), default);

        var read = await store.GetAsync(client, created.Id, default);

        Assert.NotNull(read);
        Assert.Equal(claimed.Number, read.Number);
        Assert.Equal((JobStatus.Running, 1, 40, "w1"), (read.Status, read.Attempts, read.Progress, read.LeaseOwner));
        Assert.Equal(now.AddMinutes(5), read.LeaseExpiresAt);
        Assert.Equal(now, read.StartedAt);
        Assert.True(read.Version > created.Version);
    }
}
