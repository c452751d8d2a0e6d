using System.Diagnostics;
using System.Net;
using JobGateway.Api.Tests.Execution;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Core;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace JobGateway.Api.Tests.Resilience;

/// <summary>
/// Every surface has a server-side request timeout (<c>Gateway:RequestTimeoutSeconds</c>, ASP.NET Core's request
/// timeouts middleware), answered in the surface's dialect. The test makes creates wait for real: another connection
/// holds SQLite's write lock (the gateway's file opened shared, with a busy timeout far longer than the request
/// timeout), so each create waits for the lock until the request timeout stops it.
/// </summary>
public sealed class RequestTimeoutTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 1;

    [Fact]
    public async Task ACreateThatWaits_IsAnswered503RequestTimeout_InEachDialect_AndTheGatewayGoesOn()
    {
        using var gateway = Gateway();
        var tenant = await gateway.CreateTenantAsync("client");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var probes = await DialectProbes.PrepareAsync(http, tenant.ApiKey);

        DialectAnswer[] answers;
        await using (var blocker = new SqliteConnection($"Data Source={gateway.DatabasePath}"))
        {
            await blocker.OpenAsync();
            await using var writeLock = blocker.CreateCommand();
            writeLock.CommandText = "BEGIN IMMEDIATE";
            await writeLock.ExecuteNonQueryAsync();
            answers = await probes.CreateOnEveryDialectAsync();
            writeLock.CommandText = "ROLLBACK";
            await writeLock.ExecuteNonQueryAsync();
        }

        foreach (var answer in answers)
        {
            output.WriteLine($"{answer.Dialect}: {(int)answer.Status} after {answer.Elapsed.TotalMilliseconds:0} ms: {answer.Body}");
        }

        DialectProbes.AssertRefused(answers, 503, StoreFailureMessages.TimeoutCode, StoreFailureMessages.TimeoutMessage);
        Assert.All(answers, a => Assert.InRange(a.Elapsed, TimeSpan.FromSeconds(TimeoutSeconds * 0.9), TimeSpan.FromSeconds(TimeoutSeconds + 3)));

        // The lock is gone: the same calls succeed again, on the same host.
        var again = await probes.CreateOnEveryDialectAsync();
        Assert.All(again, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted, $"{a.Dialect}: {(int)a.Status} {a.Body}"));
    }

    [Fact]
    public async Task ALongPoll_OutlivesTheRequestTimeout()
    {
        using var gateway = Gateway();
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var type = "poll-" + Guid.NewGuid().ToString("N")[..8];
        var worker = new WorkerClient(http, "w-long-poll");

        var polling = Stopwatch.StartNew();
        var fetch = worker.FetchAsync([type], waitSeconds: 60);

        // The poll must still be waiting well past the host's request timeout; then a create wakes it.
        while (polling.Elapsed < TimeSpan.FromSeconds(TimeoutSeconds * 2.5))
        {
            Assert.False(fetch.IsCompleted, "the long poll ended before a job was created");
            await Task.Delay(100);
        }

        var id = (await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid();
        var fetched = await fetch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(id, Assert.Single(fetched).GetProperty("id").GetGuid());
        Assert.True(polling.Elapsed > TimeSpan.FromSeconds(TimeoutSeconds * 2.5));
    }

    private static GatewayFactory Gateway()
    {
        var gateway = new GatewayFactory();
        gateway.Settings["Gateway:RequestTimeoutSeconds"] = TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        gateway.Settings["Gateway:Database:SqliteExclusive"] = "false";
        gateway.Settings["Gateway:Database:SqliteBusyTimeoutMs"] = "20000";
        return gateway;
    }
}
