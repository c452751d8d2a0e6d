using System.Collections.Concurrent;
using System.Text.Json;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Core.Jobs;
using JobGateway.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Execution;

public sealed class LoadTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    // Half run in the gateway's own slots, half are fetched and completed by HTTP workers.
    private const int JobsPerKind = 10_000;

    [Fact]
    public async Task TwentyThousandJobs_InProcessAndOverHttp_EachStartsAndFinishesExactlyOnce()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var external = "load-" + Guid.NewGuid().ToString("N")[..8];

        // Creators and workers run at the same time: jobs are claimed while others are still being created.
        var created = new ConcurrentBag<Guid>();
        var creators = Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            for (var i = c; i < JobsPerKind * 2; i += 8)
            {
                created.Add((await JobsApiTests.CreateAsync(http, i % 2 == 0 ? "noop" : external)).GetProperty("id").GetGuid());
            }
        })).ToArray();

        // Three HTTP workers: each fetches up to 50 at a time and completes them in one call, except every
        // fifth batch, completed one job per call.
        var claims = new ConcurrentBag<Guid>();
        var completed = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var workers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var worker = new WorkerClient(http, $"load-worker-{w}");
            for (var round = 0; Volatile.Read(ref completed) < JobsPerKind; round++)
            {
                // The host's clock is the tests' (it stands still), so a long-poll would wait for a wake-up only:
                // an empty answer is polled again shortly instead.
                var batch = (await worker.FetchAsync([external], maxJobs: 50, cancellationToken: deadline.Token))
                    .Select(j => j.GetProperty("id").GetGuid()).ToArray();
                if (batch.Length == 0)
                {
                    await Task.Delay(5, deadline.Token);
                    continue;
                }

                foreach (var id in batch)
                {
                    claims.Add(id);
                }

                if (round % 5 == 4)
                {
                    foreach (var id in batch)
                    {
                        await WorkerClient.OkJsonAsync(worker.CompleteAsync(id, new { worker = w }));
                    }
                }
                else
                {
                    var outcomes = await WorkerClient.OkJsonAsync(worker.CompleteManyAsync(batch.Select(id => (id, (object?)new { worker = w })).ToArray()));
                    Assert.All(outcomes.EnumerateArray(), o => Assert.Equal(JsonValueKind.Null, o.GetProperty("error").ValueKind));
                }

                Interlocked.Add(ref completed, batch.Length);
            }
        }, deadline.Token)).ToArray();

        await Task.WhenAll(creators);
        await Task.WhenAll(workers);
        await WaitForAllDoneAsync(tenant.ClientId, deadline.Token);

        Assert.Equal(JobsPerKind * 2, created.Distinct().Count());
        Assert.Equal(JobsPerKind, claims.Count);
        Assert.Equal(JobsPerKind, claims.Distinct().Count());

        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.ClientId == tenant.ClientId)
            .Select(j => new { j.Id, j.Type, j.Status, j.Attempts }).ToListAsync();
        Assert.Equal(created.Order(), jobs.Select(j => j.Id).Order());
        Assert.Equal(JobsPerKind, jobs.Count(j => j.Type == external));
        Assert.All(jobs, j => Assert.Equal((JobStatus.Succeeded, 1), (j.Status, j.Attempts)));

        // The outbox saw each job start once and finish once, and nothing else.
        var events = await db.JobEvents.AsNoTracking().Where(e => e.ClientId == tenant.ClientId)
            .Select(e => new { e.JobId, e.FromStatus, e.ToStatus }).ToListAsync();
        Assert.Equal(JobsPerKind * 2, events.Select(e => e.JobId).Distinct().Count());
        Assert.All(events.GroupBy(e => e.JobId), g => Assert.Equal(
            [(JobStatus.Pending, JobStatus.Running), (JobStatus.Running, JobStatus.Succeeded)],
            g.Select(e => (e.FromStatus, e.ToStatus)).Order()));

        // A client sees the same through the API.
        foreach (var id in created.Take(20))
        {
            var seen = (await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}/events"))).EnumerateArray()
                .Select(e => $"{e.GetProperty("from").GetString()}>{e.GetProperty("to").GetString()}").ToArray();
            Assert.Equal(["pending>running", "running>succeeded"], seen);
        }
    }

    // Polls the store until the in-process slots have finished the noop jobs too.
    private async Task WaitForAllDoneAsync(Guid clientId, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using (var scope = gateway.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
                if (!await db.Jobs.AnyAsync(j => j.ClientId == clientId && j.Status != JobStatus.Succeeded, cancellationToken))
                {
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
