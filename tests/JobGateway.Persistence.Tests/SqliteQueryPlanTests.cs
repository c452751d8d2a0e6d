using JobGateway.Persistence.Stores;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace JobGateway.Persistence.Tests;

/// <summary>
/// The hot queries' plans on SQLite: each reads the partial index made for it, in the order it needs, so its cost
/// does not grow with the backlog. A plan that sorts (a temporary B-tree) or scans the table fails here.
/// </summary>
public sealed class SqliteQueryPlanTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    [Theory]
    [InlineData("noop", false)]
    [InlineData("noop", true)]
    [InlineData("billing-run", false)]
    public async Task ClaimCandidates_ReadThePendingIndexInOrder(string type, bool scopedToClient)
    {
        await using var db = fixture.NewContext();
        var query = EfJobStore.Candidates(db, type, fixture.Clock.GetUtcNow(), scopedToClient ? Guid.NewGuid() : null, 2);

        var plan = await ExplainAsync(db, query.ToQueryString());

        // A client's own claim reads only that client's jobs of the type.
        Assert.Contains(
            scopedToClient ? "USING INDEX IX_Jobs_PendingClientTypeNumber (ClientId=? AND Type=?)" : "USING INDEX IX_Jobs_PendingTypeNumber (Type=?)",
            plan,
            StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN j\n", plan + "\n", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredLeaseSweep_ReadsTheRunningLeaseIndex()
    {
        await using var db = fixture.NewContext();
        var now = fixture.Clock.GetUtcNow();
        var query = db.Jobs.Where(j => j.Status == Core.Jobs.JobStatus.Running && j.LeaseExpiresAt <= now).OrderBy(j => j.LeaseExpiresAt).Take(10);

        var plan = await ExplainAsync(db, query.ToQueryString());

        Assert.Contains("IX_Jobs_RunningLeaseExpiresAt", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PendingCount_ReadsOnlyTheClientsPendingJobsInTheIndex()
    {
        await using var db = fixture.NewContext();
        var query = EfJobStore.PendingOf(db, Guid.NewGuid()).Take(1000).Select(j => 1);

        var plan = await ExplainAsync(db, query.ToQueryString());

        Assert.Contains("USING COVERING INDEX IX_Jobs_PendingClientTypeNumber (ClientId=?)", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreatesPerMinute_ReadTheWindowsNumbersOnly(bool scopedToClient)
    {
        await using var db = fixture.NewContext();
        var query = EfOperationsStore.MinutesQuery(
            postgres: false, "CreatedAt", "0", fromNumber: 42, scopedToClient ? Guid.NewGuid() : null, fixture.Clock.GetUtcNow());

        var plan = await ExplainAsync(db, query);

        // The window is a range of the table's key, or of the client's (ClientId, Number) index: never every row.
        Assert.Contains(
            scopedToClient ? "USING INDEX IX_Jobs_ClientId_Number (ClientId=? AND Number>?)" : "USING INTEGER PRIMARY KEY (rowid>?)",
            plan,
            StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
    }

    /// <summary>EXPLAIN QUERY PLAN of raw SQL with its arguments bound as parameters.</summary>
    private static async Task<string> ExplainAsync(DbContext db, FormattableString sql)
    {
        var text = sql.Format;
        var lines = new List<string>();
        for (var i = 0; i < sql.ArgumentCount; i++)
        {
            text = text.Replace("{" + i + "}", "@p" + i, StringComparison.Ordinal);
            lines.Add($".param set @p{i} {sql.GetArgument(i)}");
        }

        return await ExplainAsync(db, string.Join('\n', [.. lines, text]));
    }

    /// <summary>EXPLAIN QUERY PLAN of EF's SQL, its <c>.param set</c> lines bound as parameters; one detail per line.</summary>
    private static async Task<string> ExplainAsync(DbContext db, string queryString)
    {
        var lines = queryString.Split('\n');
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
            foreach (var line in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
            {
                var parts = line[".param set ".Length..].Split(' ', 2);
                command.Parameters.AddWithValue(parts[0], parts[1].Trim().Trim('\''));
            }

            command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
            var details = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                details.Add(reader.GetString(3));
            }

            return string.Join('\n', details);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
