using JobGateway.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Tests.Postgres;

/// <summary>The reads written on Npgsql (PostgresJobRows) against EF's view of the same rows, column for column.</summary>
public sealed class PostgresJobRowsTests(PostgresStoreFixture fixture) : IClassFixture<PostgresStoreFixture>
{
    [StoreFact]
    public async Task TheHandWrittenReads_ReturnWhatEfReads_ForJobsInEveryState()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var type = $"pg-rows-{Guid.NewGuid():N}";
        var now = fixture.Clock.GetUtcNow();
        var pending = (await store.CreateAsync(new NewJob(client, type, "pending one", """{"a":[1,2]}""", "ref-1", "key-1"), default)).Job!;
        var running = (await store.CreateAsync(new NewJob(client, type, Payload: """{"b":true}"""), default)).Job!;
        var failed = (await store.CreateAsync(new NewJob(client, type, "failing one"), default)).Job!;
        Assert.Equal(3, (await store.ClaimAsync(new ClaimRequest("w1", [type], 3, TimeSpan.FromMinutes(5)), default)).Count);
        await store.UpdateAsync(client, pending.Id, j => j.Release("w1", now), default);
        await store.UpdateAsync(client, running.Id, j => j.Heartbeat("w1", now.AddMinutes(5), 40, now), default);
        await store.UpdateAsync(client, running.Id, j => j.RequestCancellation(now), default);
        await store.UpdateAsync(client, failed.Id, j => j.Fail("w1", new JobError("E1", "it broke", "at line 7"), now.AddSeconds(1)), default);

        var efStore = fixture.NewStore(efReads: true);
        await using var db = fixture.NewContext();
        foreach (var id in new[] { pending.Id, running.Id, failed.Id })
        {
            var row = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id);
            var read = await store.GetAsync(client, id, default);
            Assert.NotNull(read);
            Assert.Equal(Columns(row), Columns(read));
            Assert.Equal(Columns(row), Columns((await store.GetByNumberAsync(client, row.Number, default))!));
            Assert.Equal(Columns(row), Columns((await efStore.GetAsync(client, id, default))!));

            Assert.Equal(JobStatusView.Of(row), await store.GetStatusAsync(client, id, default));
            Assert.Equal(JobStatusView.Of(row), await store.GetStatusByNumberAsync(client, row.Number, default));
            Assert.Equal(JobStatusView.Of(row), await efStore.GetStatusAsync(client, id, default));

            // Another tenant's id or number reads as absent on both paths.
            var other = Guid.NewGuid();
            Assert.Null(await store.GetAsync(other, id, default));
            Assert.Null(await store.GetByNumberAsync(other, row.Number, default));
            Assert.Null(await store.GetStatusAsync(other, id, default));
            Assert.Null(await store.GetStatusByNumberAsync(other, row.Number, default));
            Assert.Null(await efStore.GetAsync(other, id, default));
        }
    }

    // Every persisted column of a job, as one comparable value.
    private static object Columns(Job j) => (
        (j.Number, j.Id, j.ClientId, j.Type, j.Name, j.Payload, j.ExternalRef, j.IdempotencyKey, j.RequestHash),
        (j.Status, j.Attempts, j.Progress, j.Report, j.ErrorCode, j.ErrorMessage, j.ErrorDetails),
        (j.CreatedAt, j.UpdatedAt, j.StartedAt, j.FinishedAt, j.RunAfter, j.LeaseOwner, j.LeaseExpiresAt, j.CancellationRequested, j.Version));
}
