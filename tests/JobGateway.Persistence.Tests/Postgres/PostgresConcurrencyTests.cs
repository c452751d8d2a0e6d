using JobGateway.Core.Jobs;
using JobGateway.Persistence.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobGateway.Persistence.Tests.Postgres;

/// <summary>
/// What several gateway instances on one PostgreSQL database rely on: each store below has a connection of
/// its own, as a request on another instance would, and they race for real.
/// </summary>
public sealed class PostgresConcurrencyTests(PostgresStoreFixture fixture) : IClassFixture<PostgresStoreFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [StoreFact]
    public async Task Claim_ByManyConcurrentClaimers_StartsEachJobExactlyOnce()
    {
        var type = UniqueType();
        var client = Guid.NewGuid();
        await CreateManyAsync(client, type, 300, writers: 6);

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(w => Task.Run(async () =>
        {
            var store = fixture.NewStore();
            var mine = new List<Guid>();
            var idle = 0;
            while (idle < 3)
            {
                var batch = await store.ClaimAsync(new ClaimRequest($"w{w}", [type], 1 + (w % 4), Lease), default);
                idle = batch.Count == 0 ? idle + 1 : 0;
                mine.AddRange(batch.Select(j => j.Id));
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(300, all.Count);
        Assert.Equal(300, all.Distinct().Count());
        await using var db = fixture.NewContext();
        var starts = await db.JobEvents.Where(e => e.JobType == type && e.ToStatus == JobStatus.Running)
            .GroupBy(e => e.JobId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(300, starts.Count);
        Assert.All(starts, count => Assert.Equal(1, count));
        Assert.True(await db.Jobs.Where(j => j.Type == type).AllAsync(j => j.Attempts == 1 && j.Status == JobStatus.Running));
    }

    [StoreFact]
    public async Task Create_ConcurrentWritersWithTheSameKeys_StoreOneJobPerKey()
    {
        var client = Guid.NewGuid();
        var type = UniqueType();

        // Twenty keys, each sent by five writers at once.
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            fixture.NewStore().CreateAsync(new NewJob(client, type, IdempotencyKey: $"key-{i % 20}"), default))));

        Assert.All(results, r => Assert.NotEqual(CreateOutcome.KeyConflict, r.Outcome));
        Assert.Equal(20, results.Count(r => r.Outcome == CreateOutcome.Created));
        Assert.All(results.GroupBy(r => r.Job!.IdempotencyKey), g => Assert.Single(g.Select(r => r.Job!.Id).Distinct()));
        await using var db = fixture.NewContext();
        Assert.Equal(20, await db.Jobs.CountAsync(j => j.ClientId == client));
    }

    [StoreFact]
    public async Task Create_ByConcurrentWriters_AssignsUniqueNumbersIncreasingPerWriter()
    {
        var client = Guid.NewGuid();
        var type = UniqueType();

        var perWriter = await CreateManyAsync(client, type, 400, writers: 8);

        var numbers = perWriter.SelectMany(w => w).ToList();
        Assert.Equal(400, numbers.Distinct().Count());
        Assert.All(perWriter, w => Assert.Equal(w.Order(), w));
    }

    [StoreFact]
    public async Task Claim_ExclusiveTypeByConcurrentClaimers_RunsOnePerClientAndStillClaimsTheRest()
    {
        var client = Guid.NewGuid();
        var other = UniqueType();
        var store = fixture.NewStore();
        for (var i = 0; i < 8; i++)
        {
            await store.CreateAsync(new NewJob(client, "billing-run"), default);
            await store.CreateAsync(new NewJob(client, other), default);
        }

        // Released together so that several claimers pass the "none running yet" check at the same time;
        // the unique index refuses all but one, and a refusal must not cost a claimer its other candidates.
        using var start = new ManualResetEventSlim();
        var claimers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = fixture.NewStore();
            start.Wait();
            var claimed = new List<Job>();
            for (var round = 0; round < 4; round++)
            {
                claimed.AddRange(await mine.ClaimAsync(new ClaimRequest($"w{w}", ["billing-run", other], 2, Lease) { ClientId = client }, default));
            }

            return claimed;
        })).ToList();
        start.Set();
        var claimed = (await Task.WhenAll(claimers)).SelectMany(c => c).ToList();

        Assert.Single(claimed, j => j.Type == "billing-run");
        Assert.Equal(8, claimed.Count(j => j.Type == other));
        await using var db = fixture.NewContext();
        Assert.Equal(1, await db.Jobs.CountAsync(j => j.ClientId == client && j.Type == "billing-run" && j.Status == JobStatus.Running));
    }

    [StoreFact]
    public async Task Signal_PulseOnOneInstance_WakesAWaiterOnAnother()
    {
        await using var sourceA = NpgsqlDataSource.Create(fixture.ConnectionString);
        await using var sourceB = NpgsqlDataSource.Create(fixture.ConnectionString);
        var a = new PostgresJobSignal(sourceA, NullLogger<PostgresJobSignal>.Instance);
        var b = new PostgresJobSignal(sourceB, NullLogger<PostgresJobSignal>.Instance);
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(a.RunAsync(stop.Token), b.RunAsync(stop.Token));
        await Task.WhenAll(a.Listening, b.Listening).WaitAsync(TimeSpan.FromSeconds(10));

        // Each listener wakes its own waiters once when it subscribes; wait on the next pulse only.
        await Task.Delay(100);
        var waiter = b.WaitAsync(default);
        Assert.False(waiter.IsCompleted);
        a.Pulse();

        await waiter.WaitAsync(TimeSpan.FromSeconds(5));
        var again = a.WaitAsync(default);
        b.Pulse();
        await again.WaitAsync(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<List<List<long>>> CreateManyAsync(Guid client, string type, int count, int writers) =>
        (await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var store = fixture.NewStore();
            var numbers = new List<long>();
            for (var i = w; i < count; i += writers)
            {
                numbers.Add((await store.CreateAsync(new NewJob(client, type), default)).Job!.Number);
            }

            return numbers;
        })))).ToList();

    private static string UniqueType() => "type-" + Guid.NewGuid().ToString("N")[..10];
}
