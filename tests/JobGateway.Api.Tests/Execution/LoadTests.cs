using System.Collections.Concurrent;
using System.Text.Json;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;

namespace JobGateway.Api.Tests.Execution;

public sealed class LoadTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private const int JobsPerKind = 150;

    [Fact]
    public async Task ManyJobs_InProcessAndOverHttp_EachFinishesExactlyOnce()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var external = "load-" + Guid.NewGuid().ToString("N")[..8];

        // Creators and workers run at the same time: jobs are claimed while others are still being created.
        var created = new ConcurrentBag<Guid>();
        var creators = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            for (var i = c; i < JobsPerKind * 2; i += 4)
            {
                created.Add((await JobsApiTests.CreateAsync(http, i % 2 == 0 ? "noop" : external)).GetProperty("id").GetGuid());
            }
        })).ToArray();

        var claims = new ConcurrentBag<Guid>();
        var completed = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var workers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var worker = new WorkerClient(http, $"load-worker-{w}");
            while (Volatile.Read(ref completed) < JobsPerKind)
            {
                var batch = await worker.FetchAsync([external], maxJobs: 5, cancellationToken: deadline.Token);
                if (batch.Length == 0)
                {
                    await Task.Delay(5, deadline.Token);
                    continue;
                }

                foreach (var job in batch)
                {
                    var id = job.GetProperty("id").GetGuid();
                    claims.Add(id);
                    await WorkerClient.OkJsonAsync(worker.CompleteAsync(id, new { worker = w }));
                    Interlocked.Increment(ref completed);
                }
            }
        }, deadline.Token)).ToArray();

        await Task.WhenAll(creators);
        await Task.WhenAll(workers);
        var noop = await WaitForAllAsync(http, "noop", tenant, deadline.Token);
        var ext = await ListAsync(http, $"type={external}");

        Assert.Equal(JobsPerKind * 2, created.Distinct().Count());
        Assert.Equal(JobsPerKind, claims.Count);
        Assert.Equal(JobsPerKind, claims.Distinct().Count());
        Assert.All(noop.Concat(ext), j =>
        {
            Assert.Equal("succeeded", j.GetProperty("status").GetString());
            Assert.Equal(1, j.GetProperty("attempts").GetInt32());
        });
        Assert.Equal(JobsPerKind, ext.Count);

        // The outbox saw each job start once and finish once.
        foreach (var job in noop.Concat(ext).Take(60))
        {
            var events = (await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{job.GetProperty("id").GetGuid()}/events"))).EnumerateArray()
                .Select(e => $"{e.GetProperty("from").GetString()}>{e.GetProperty("to").GetString()}").ToArray();
            Assert.Equal(["pending>running", "running>succeeded"], events);
        }
    }

    private static async Task<List<JsonElement>> WaitForAllAsync(HttpClient http, string type, TestTenant tenant, CancellationToken cancellationToken)
    {
        while (true)
        {
            var jobs = await ListAsync(http, $"type={type}");
            if (jobs.Count == JobsPerKind && jobs.All(j => j.GetProperty("done").GetBoolean()))
            {
                return jobs;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient http, string filter)
    {
        var all = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs?{filter}&pageSize=100{(token is null ? "" : $"&pageToken={token}")}"));
            all.AddRange(page.GetProperty("items").EnumerateArray());
            token = page.GetProperty("nextPageToken").GetString();
        }
        while (token is not null);
        return all;
    }
}
