using System.Net;
using System.Net.Http.Json;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core;
using JobGateway.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace JobGateway.Api.Tests.Resilience;

/// <summary>
/// A full disk under the SQLite store, made for real without privileges: the gateway's size cap
/// (<c>Gateway:Database:SqliteMaxSizeBytes</c>, SQLite's <c>max_page_count</c> on every connection the gateway opens)
/// makes SQLite fail writes with SQLITE_FULL exactly as a full file system does. (A small tmpfs or loop mount would
/// need mount privileges that CI containers lack.) Creates are refused with 507 in each dialect, nothing is half
/// stored or corrupted, and creates work again once jobs are deleted.
/// </summary>
public sealed class SqliteFullDiskTests(ITestOutputHelper output)
{
    private const long MaxSizeBytes = 2L * 1024 * 1024;

    [Fact]
    public async Task AFullDatabase_RefusesCreatesWith507InEachDialect_CorruptsNothing_AndRecoversWhenSpaceIsFreed()
    {
        using var gateway = new GatewayFactory();
        gateway.Settings["Gateway:Database:SqliteMaxSizeBytes"] = MaxSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        gateway.Settings["Gateway:Database:SqliteExclusive"] = "false";
        var tenant = await gateway.CreateTenantAsync("client");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var probes = await DialectProbes.PrepareAsync(http, tenant.ApiKey);

        // Fill it: large payloads until one is refused, then small creates until refusals are all that is left.
        var acknowledged = new List<Guid>();
        var big = new string('x', 100 * 1024);
        var refusedInARow = 0;
        var refused = 0;
        while (refusedInARow < 20)
        {
            Assert.True(acknowledged.Count < 1000, "the database never filled up");
            var payload = refused == 0 ? (object)new { blob = big } : new { n = acknowledged.Count };
            var response = await http.PostAsJsonAsync("/api/jobs", new { type = "fill", payload });
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                acknowledged.Add((await response.Content.ReadFromJsonAsync<IdOnly>())!.Id);
                refusedInARow = 0;
                continue;
            }

            Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
            refused++;
            refusedInARow++;
        }

        var answers = await probes.CreateOnEveryDialectAsync();
        foreach (var answer in answers)
        {
            output.WriteLine($"{answer.Dialect}: {(int)answer.Status}: {answer.Body}");
        }

        output.WriteLine($"full after {acknowledged.Count} acknowledged creates ({refused} refused while filling), file {new FileInfo(gateway.DatabasePath).Length} bytes, cap {MaxSizeBytes}");
        DialectProbes.AssertRefused(answers, 507, StoreFailureMessages.Code(StoreFailure.Full), StoreFailureMessages.Message(StoreFailure.Full));

        // Reads still work, every acknowledged job is there, nothing refused was stored, and the file is sound.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/jobs/{acknowledged[^1]}")).StatusCode);
        Assert.Equal(acknowledged.Count, await CountJobsAsync(gateway, tenant));
        Assert.Equal("ok", await IntegrityAsync(gateway));

        // Free space by deleting the large jobs: creates work again, on every surface.
        foreach (var id in acknowledged.Take(5))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/jobs/{id}")).StatusCode);
        }

        var again = await probes.CreateOnEveryDialectAsync();
        Assert.All(again, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted, $"{a.Dialect}: {(int)a.Status} {a.Body}"));
        Assert.Equal(acknowledged.Count - 5 + again.Length, await CountJobsAsync(gateway, tenant));
        Assert.Equal("ok", await IntegrityAsync(gateway));
    }

    // Every job of the tenant, whichever surface created it.
    private static async Task<int> CountJobsAsync(GatewayFactory gateway, TestTenant tenant)
    {
        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        return await db.Jobs.CountAsync(j => j.ClientId == tenant.ClientId);
    }

    // SQLite's own check of the whole file, from a connection of the test's (the gateway shares the file in this test).
    private static async Task<string?> IntegrityAsync(GatewayFactory gateway)
    {
        await using var connection = new SqliteConnection($"Data Source={gateway.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        return (string?)await check.ExecuteScalarAsync();
    }

    private sealed record IdOnly(Guid Id);
}
