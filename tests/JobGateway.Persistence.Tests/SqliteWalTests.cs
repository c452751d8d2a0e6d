using JobGateway.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Tests;

/// <summary>
/// Commits checkpoint the write-ahead log as SQLite does by default. These tests make single-row commits back to
/// back, as workers do when they drain a backlog, and check that the log stays small.
/// </summary>
public sealed class SqliteWalTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    // Checkpoints every 1000 pages (4 MB) let the log start over; without them these writes make ~33 MB of log.
    private const long MaxWalBytes = 8 * 1024 * 1024;

    [Fact]
    public async Task SingleRowCommits_KeepTheWriteAheadLogCheckpointed()
    {
        var store = fixture.NewStore();
        var client = Guid.NewGuid();
        var type = "wal-" + Guid.NewGuid().ToString("N")[..8];

        for (var i = 0; i < 1500; i++)
        {
            // One create at a time is a group commit of one row; a claim and a heartbeat each make one more
            // single-row UPDATE.
            await store.CreateAsync(new NewJob(client, type, Payload: $$"""{"i":{{i}},"pad":"{{new string('x', 400)}}"}""", IdempotencyKey: $"k{i}"), default);
            if (i % 3 == 0)
            {
                var claimed = Assert.Single(await store.ClaimAsync(new ClaimRequest("w", [type], 1, TimeSpan.FromMinutes(5)), default));
                var now = fixture.Clock.GetUtcNow();
                await store.UpdateAsync(client, claimed.Id, j => j.Heartbeat("w", now.AddMinutes(5), 10, now), default);
            }
        }

        var wal = new FileInfo(fixture.DatabasePath + "-wal");
        Assert.True(wal.Exists);
        Assert.True(wal.Length < MaxWalBytes, $"the WAL is {wal.Length / 1024 / 1024} MB: checkpoints are not running");
    }

    [Fact]
    public async Task EveryConnection_NewOrReused_HasTheConfiguredSettings()
    {
        for (var i = 0; i < 5; i++)
        {
            await using var db = fixture.NewContext();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA synchronous";
            var synchronous = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            command.CommandText = "PRAGMA busy_timeout";
            var busyTimeout = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            await db.Database.CloseConnectionAsync();

            // 1 = NORMAL (the default in WAL mode would be FULL: an fsync per commit).
            Assert.Equal(1, synchronous);
            Assert.Equal(5000, busyTimeout);
        }
    }
}
