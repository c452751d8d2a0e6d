using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using JobGateway.Api.Tests.Execution;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Api.Tests.Soap;
using JobGateway.Core.AccountTasks;
using JobGateway.Core.Jobs;
using JobGateway.Execution.Scheduling;
using JobGateway.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.ScaleOut;

/// <summary>Two gateway instances on one PostgreSQL database, sharing the work and never doing it twice.</summary>
public sealed class ScaleOutTests(PostgresGateways gateways) : IClassFixture<PostgresGateways>
{
    private const string ExternalType = "scale-external";

    [PostgresFact]
    public async Task TwoInstances_CreatingAndRunningThousandsOfJobs_RunEachExactlyOnce()
    {
        var tenant = await gateways.A.CreateTenantAsync("client");
        GatewayFactory[] hosts = [gateways.A, gateways.B];
        var clients = hosts.Select(h => h.CreateClient(tenant.ApiKey)).ToArray();

        // External workers on both instances serve the T2A jobs and one external type, until told to stop.
        using var stop = new CancellationTokenSource();
        var completedBy = new ConcurrentDictionary<string, int>();
        var workers = Enumerable.Range(0, 4).Select(w => RunExternalWorkerAsync(hosts[w % 2], $"worker-{(w % 2 == 0 ? "a" : "b")}{w}", completedBy, stop.Token)).ToList();

        // 2,000 creates, alternating between the instances: in-process noop jobs and external jobs over REST,
        // T2A jobs over SOAP 1.1, and 100 idempotency keys each sent to both instances at once.
        var keyed = new ConcurrentDictionary<string, ConcurrentBag<Guid>>();
        var creates = Enumerable.Range(0, 2000).Select(i => (Func<Task>)(i switch
        {
            < 1000 => () => CreateRestAsync(clients[i % 2], NoopType, null, null),
            < 1400 => () => CreateRestAsync(clients[i % 2], ExternalType, null, null),
            < 1800 => () => CreateT2AAsync(clients[i % 2], tenant.ApiKey, i),
            _ => () => CreateRestAsync(clients[i % 2], NoopType, $"key-{i / 2}", keyed),
        })).ToList();
        await Parallel.ForEachAsync(creates, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (create, _) => await create());

        var expected = 1800 + 100;
        await WaitUntilAsync(async db => await db.Jobs.CountAsync(j => j.ClientId == tenant.ClientId && j.Status == JobStatus.Succeeded) == expected, TimeSpan.FromSeconds(90));
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        await using var scope = gateways.A.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var jobs = await db.Jobs.AsNoTracking().Where(j => j.ClientId == tenant.ClientId).ToListAsync();
        Assert.Equal(expected, jobs.Count);
        Assert.All(jobs, j =>
        {
            Assert.Equal(JobStatus.Succeeded, j.Status);
            Assert.Equal(1, j.Attempts);
        });
        Assert.Equal(jobs.Count, jobs.Select(j => j.Number).Distinct().Count());
        Assert.Equal(400, jobs.Count(j => j.Type == "t2a"));

        // Every job moved Pending → Running → Succeeded once, and nothing else.
        var events = await db.JobEvents.AsNoTracking().Where(e => e.ClientId == tenant.ClientId)
            .Select(e => new { e.JobId, e.FromStatus, e.ToStatus }).ToListAsync();
        Assert.All(events.GroupBy(e => e.JobId), g => Assert.Equal(
            [(JobStatus.Pending, JobStatus.Running), (JobStatus.Running, JobStatus.Succeeded)],
            g.Select(e => (e.FromStatus, e.ToStatus)).Order()));
        Assert.Equal(expected, events.Select(e => e.JobId).Distinct().Count());

        // Each key, sent to both instances at once, made one job, and both instances answered with it.
        Assert.Equal(100, keyed.Count);
        Assert.All(keyed.Values, ids => Assert.Single(ids.Distinct()));
        Assert.Equal(100, jobs.Where(j => j.IdempotencyKey is not null).Select(j => j.IdempotencyKey).Distinct().Count());

        // The external work was shared by the workers on both instances.
        Assert.Equal(800, completedBy.Values.Sum());
        Assert.Contains(completedBy, w => w.Key.StartsWith("worker-a", StringComparison.Ordinal) && w.Value > 0);
        Assert.Contains(completedBy, w => w.Key.StartsWith("worker-b", StringComparison.Ordinal) && w.Value > 0);
    }

    [PostgresFact]
    public async Task JobCreatedOnOneInstance_WakesALongPollOnTheOther()
    {
        var tenant = await gateways.A.CreateTenantAsync("client", "worker");
        var type = "wake-" + Guid.NewGuid().ToString("N")[..8];
        using var onB = gateways.B.CreateClient(tenant.ApiKey);
        using var onA = gateways.A.CreateClient(tenant.ApiKey);

        // B's clock stands still, so its 30-second wait can only end early through B's own signal, which
        // hears of A's job through PostgreSQL alone: the two hosts share no object.
        var fetch = new WorkerClient(onB, "b-long-poll").FetchAsync([type], waitSeconds: 30);
        await Task.Delay(500);
        Assert.False(fetch.IsCompleted);
        var created = await JobsApiTests.ReadJsonAsync(await onA.PostAsJsonAsync("/api/jobs", new { type }));

        var fetched = await fetch.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(created.GetProperty("id").GetGuid(), Assert.Single(fetched).GetProperty("id").GetGuid());
    }

    [PostgresFact]
    public async Task JobCreatedOnOneInstance_IsReadOnTheOther_ThroughRestAndBothSoapStatusPolls()
    {
        // PostgreSQL's hand-written reads (PostgresJobRows: the whole job and the status view) over the wire.
        var tenant = await gateways.A.CreateTenantAsync();
        var stranger = await gateways.A.CreateTenantAsync();
        var type = "pg-read-" + Guid.NewGuid().ToString("N")[..8];
        using var onA = gateways.A.CreateClient(tenant.ApiKey);
        using var onB = gateways.B.CreateClient(tenant.ApiKey);
        using var strangerOnB = gateways.B.CreateClient(stranger.ApiKey);
        var created = await JobsApiTests.ReadJsonAsync(await onA.PostAsJsonAsync("/api/jobs", new { type, name = "read me", payload = new { n = 7 } }));
        var id = created.GetProperty("id").GetGuid();
        var number = created.GetProperty("number").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var read = await JobsApiTests.ReadJsonAsync(await onB.GetAsync($"/api/jobs/{id}"));
        Assert.Equal((id, "pending", "read me", 7), (read.GetProperty("id").GetGuid(), read.GetProperty("status").GetString(),
            read.GetProperty("name").GetString(), read.GetProperty("payload").GetProperty("n").GetInt32()));

        var dasp = await SoapHttp.PostAsync(onB, SoapHttp.CustomerApiPath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.GetJobStatus(tenant.ApiKey, id.ToString())),
            "\"http://api.discountasp.net/GetJobStatus\"");
        Assert.Equal(HttpStatusCode.OK, dasp.Status);
        Assert.Equal(("Pending", "read me"), (Element(dasp.Body, "Status"), Element(dasp.Body, "JobName")));

        var mm = await SoapHttp.PostAsync(onB, SoapHttp.MagnetMailPath, Envelopes.Soap11Type,
            Envelopes.Soap11(Envelopes.GetUploadJobStatus("mm-user", number), Envelopes.MmAuthHeader(tenant.ApiKey)), "\"http://www.magnetmail.net/getUploadJobStatus\"");
        Assert.Equal(HttpStatusCode.OK, mm.Status);
        Assert.Equal(("0", number, "Upload is queued."), (Element(mm.Body, "status"), Element(mm.Body, "jobid"), Element(mm.Body, "msg")));

        // Another tenant finds nothing on any surface.
        Assert.Equal(HttpStatusCode.NotFound, (await strangerOnB.GetAsync($"/api/jobs/{id}")).StatusCode);
        var strangerDasp = await SoapHttp.PostAsync(strangerOnB, SoapHttp.CustomerApiPath, Envelopes.Soap11Type,
            Envelopes.Soap11(Envelopes.GetJobStatus(stranger.ApiKey, id.ToString())), "\"http://api.discountasp.net/GetJobStatus\"");
        Assert.Equal(HttpStatusCode.InternalServerError, strangerDasp.Status);
        Assert.Contains("soap:Fault", strangerDasp.Body, StringComparison.Ordinal);
        var strangerMm = await SoapHttp.PostAsync(strangerOnB, SoapHttp.MagnetMailPath, Envelopes.Soap11Type,
            Envelopes.Soap11(Envelopes.GetUploadJobStatus("mm-user", number), Envelopes.MmAuthHeader(stranger.ApiKey)), "\"http://www.magnetmail.net/getUploadJobStatus\"");
        Assert.Equal(HttpStatusCode.InternalServerError, strangerMm.Status);
        Assert.Contains("soap:Fault", strangerMm.Body, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task RecurringTask_TickedByBothInstances_FiresEachOccurrenceOnce()
    {
        var tenant = await gateways.A.CreateTenantAsync();
        var start = gateways.A.Time.GetUtcNow();
        var task = AccountTask.Create(
            tenant.ClientId,
            new AccountTaskSpec(Guid.NewGuid(), TaskFrequency.Hourly, start, start.AddHours(12), """{"report":"hourly"}""", "application/json", TaskNotification.None, "hourly export"),
            tenant.Name,
            start);
        await using (var scope = gateways.A.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            db.AccountTasks.Add(task);
            await db.SaveChangesAsync();
        }

        // Half a day in 15-minute steps; in each, both instances' schedulers tick at the same moment.
        var schedulers = new[] { gateways.A, gateways.B }.Select(h => h.Services.GetRequiredService<AccountTaskScheduler>()).ToArray();
        for (var step = 0; step < 13 * 4; step++)
        {
            await Task.WhenAll(schedulers.Select(s => s.TickAsync(default)));
            gateways.A.Time.Advance(TimeSpan.FromMinutes(15));
            gateways.B.Time.Advance(TimeSpan.FromMinutes(15));
        }

        await using var read = gateways.B.Services.CreateAsyncScope();
        var runs = await read.ServiceProvider.GetRequiredService<GatewayDbContext>().Jobs.AsNoTracking()
            .Where(j => j.ClientId == tenant.ClientId && j.Type == AccountTask.JobType && j.ExternalRef == task.Id.ToString())
            .Select(j => j.IdempotencyKey!)
            .ToListAsync();
        var occurrences = Enumerable.Range(0, 12).Select(h => $"account-task:{task.Id:N}:{start.AddHours(h).UtcTicks}");
        Assert.Equal(occurrences.Order(StringComparer.Ordinal), runs.Order(StringComparer.Ordinal));
    }

    private const string NoopType = "noop";

    private static async Task CreateRestAsync(HttpClient client, string type, string? key, ConcurrentDictionary<string, ConcurrentBag<Guid>>? keyed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new { type, payload = new { key } }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"create answered {response.StatusCode}");
        if (key is not null)
        {
            var job = await JobsApiTests.ReadJsonAsync(response);
            keyed!.GetOrAdd(key, _ => []).Add(job.GetProperty("id").GetGuid());
        }
    }

    private static async Task CreateT2AAsync(HttpClient client, string apiKey, int i)
    {
        var reply = await SoapHttp.PostAsync(client, SoapHttp.T2APath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(apiKey, $"client-{i}")), "\"https://api.t2a.io/soap/job_create\"");
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
    }

    private static async Task RunExternalWorkerAsync(GatewayFactory host, string workerId, ConcurrentDictionary<string, int> completedBy, CancellationToken stop)
    {
        using var http = host.CreateClient(GatewayFactory.AdminKey);
        var worker = new WorkerClient(http, workerId);
        while (!stop.IsCancellationRequested)
        {
            // No long poll here: the hosts' clocks stand still, so a wait would only end on a signal. A fetch
            // in flight is not cancelled: the jobs it claims are completed before the worker stops.
            var jobs = await worker.FetchAsync(["t2a", ExternalType], maxJobs: 10, lockSeconds: 600, cancellationToken: CancellationToken.None);
            foreach (var job in jobs)
            {
                var response = await worker.CompleteAsync(job.GetProperty("id").GetGuid(), new { ok = true });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                completedBy.AddOrUpdate(workerId, 1, (_, n) => n + 1);
            }

            if (jobs.Length == 0)
            {
                try
                {
                    await Task.Delay(20, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task WaitUntilAsync(Func<GatewayDbContext, Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var scope = gateways.A.Services.CreateAsyncScope())
            {
                if (await condition(scope.ServiceProvider.GetRequiredService<GatewayDbContext>()))
                {
                    return;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "The instances did not finish every job in time.");
            await Task.Delay(200);
        }
    }

    private static string Element(string xml, string localName) =>
        System.Xml.Linq.XDocument.Parse(xml).Descendants().First(e => e.Name.LocalName == localName).Value;
}
