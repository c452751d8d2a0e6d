using System.Net.Http.Json;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Soap;
using Microsoft.Data.Sqlite;

namespace JobGateway.Api.Tests.Jobs;

/// <summary>
/// The gateway holds its SQLite file for itself while it runs (<c>Gateway:Database:SqliteExclusive</c>, on by
/// default, SQLite's unix-excl VFS). Another process, here python's sqlite3 module, is the observer.
/// </summary>
public sealed class SqliteExclusiveTests
{
    // Counts the jobs in the file without waiting for a lock; prints the count, or exits 3 with SQLite's message.
    private const string CountJobs = """
        import sqlite3, sys
        try:
            print(sqlite3.connect(sys.argv[1], timeout=0).execute('SELECT count(*) FROM "Jobs"').fetchone()[0])
        except sqlite3.OperationalError as e:
            print(e, file=sys.stderr); sys.exit(3)
        """;

    [Fact]
    public async Task AnotherProcess_CannotOpenTheDatabase_WhileTheGatewayRuns_AndReadsEveryJobOnceItStops()
    {
        var first = new GatewayFactory();
        var tenant = await first.CreateTenantAsync();
        using (var client = first.CreateClient(tenant.ApiKey))
        {
            (await client.PostAsJsonAsync("/api/jobs", new { type = "billing-run" })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/api/jobs", new { type = "billing-run" })).EnsureSuccessStatusCode();

            // Start-up migrations and readiness probes once opened and closed a second, read-only connection, and
            // its close gave the process's lock on the file back: the lock must outlive both.
            (await client.GetAsync("/health/ready")).EnsureSuccessStatusCode();
        }

        var (exitCode, _, error) = await CountJobsAsync(first.DatabasePath);
        Assert.True(exitCode == 3, $"another process read the database while the gateway ran (exit {exitCode}, {error})");
        Assert.Contains("locked", error, StringComparison.Ordinal);

        // The WAL index is in the gateway's memory: there is no -shm file beside the database.
        Assert.False(File.Exists(first.DatabasePath + "-shm"));

        // Stopped (the restarted host, never started, keeps the directory until it is disposed itself).
        using var after = first.CreateRestartedHost();
        await first.DisposeAsync();
        SqliteConnection.ClearAllPools();
        var (code, output, stopError) = await CountJobsAsync(first.DatabasePath);
        Assert.True(code == 0, $"the database stayed locked after the gateway stopped (exit {code}, {stopError})");
        Assert.Equal("2", output.Trim());
    }

    [Fact]
    public async Task WithTheSettingOff_AnotherProcessReadsTheDatabase_WhileTheGatewayRuns()
    {
        using var gateway = new GatewayFactory();
        gateway.Settings["Gateway:Database:SqliteExclusive"] = "false";
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        (await client.PostAsJsonAsync("/api/jobs", new { type = "billing-run" })).EnsureSuccessStatusCode();

        var (exitCode, output, error) = await CountJobsAsync(gateway.DatabasePath);
        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        Assert.Equal("1", output.Trim());
        Assert.True(File.Exists(gateway.DatabasePath + "-shm"));
    }

    private static Task<(int ExitCode, string Output, string Error)> CountJobsAsync(string databasePath) =>
        RealClients.RunProcessAsync(RealClients.Python, ["-c", CountJobs, databasePath]);
}
