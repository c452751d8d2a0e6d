using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Execution;

public sealed class WorkerApiFactory : SteppedGatewayFactory
{
    public WorkerApiFactory()
    {
        Settings["Gateway:Execution:Types:flaky:MaxAttempts"] = "2";
        Settings["Gateway:Execution:Types:flaky:RetryBaseSeconds"] = "10";
    }
}

public sealed class WorkerApiTests(WorkerApiFactory gateway) : IClassFixture<WorkerApiFactory>
{
    [Fact]
    public async Task Worker_FetchesHeartbeatsAndCompletes_AndTheClientSeesTheReport()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-1");
        var id = (await JobsApiTests.CreateAsync(http, "billing-run")).GetProperty("id").GetGuid();

        var fetched = Assert.Single(await worker.FetchAsync(["billing-run"], lockSeconds: 30));
        var beat = await WorkerClient.OkJsonAsync(worker.HeartbeatAsync(id, progress: 40));
        var running = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
        var done = await WorkerClient.OkJsonAsync(worker.CompleteAsync(id, new { invoices_ready_for_payment = 3 }));
        var finished = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));

        Assert.Equal(id, fetched.GetProperty("id").GetGuid());
        Assert.Equal(tenant.ClientId, fetched.GetProperty("clientId").GetGuid());
        Assert.Equal(1, fetched.GetProperty("attempts").GetInt32());
        Assert.Equal(gateway.Time.GetUtcNow().AddSeconds(30), fetched.GetProperty("lockExpiresAt").GetDateTimeOffset());
        Assert.False(beat.GetProperty("cancellationRequested").GetBoolean());
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.Equal(40, running.GetProperty("progress").GetInt32());
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal("succeeded", finished.GetProperty("status").GetString());
        Assert.Equal(100, finished.GetProperty("progress").GetInt32());
        Assert.Equal(3, finished.GetProperty("report").GetProperty("invoices_ready_for_payment").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, finished.GetProperty("finishedAt").ValueKind);
    }

    [Fact]
    public async Task CompleteMany_RecordsEachJob_AndRefusesOnlyTheOnesTheWorkerDoesNotHold()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        var other = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        using var otherHttp = gateway.CreateClient(other.ApiKey);
        var worker = new WorkerClient(http, "w-many");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await JobsApiTests.CreateAsync(http, "tax-run")).GetProperty("id").GetGuid());
        }

        var foreign = (await JobsApiTests.CreateAsync(otherHttp, "tax-run")).GetProperty("id").GetGuid();
        Assert.Single(await new WorkerClient(otherHttp, "w-other").FetchAsync(["tax-run"]));
        Assert.Equal(3, (await worker.FetchAsync(["tax-run"], maxJobs: 10)).Length);
        var notHeld = (await JobsApiTests.CreateAsync(http, "tax-run")).GetProperty("id").GetGuid();

        var outcomes = (await WorkerClient.OkJsonAsync(worker.CompleteManyAsync(
            (ids[0], new { n = 0 }), (notHeld, null), (ids[1], new { n = 1 }), (foreign, null), (ids[2], null)))).EnumerateArray().ToArray();

        Assert.Equal([ids[0], notHeld, ids[1], foreign, ids[2]], outcomes.Select(o => o.GetProperty("id").GetGuid()));
        foreach (var done in new[] { outcomes[0], outcomes[2], outcomes[4] })
        {
            Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
            Assert.Equal("succeeded", done.GetProperty("job").GetProperty("status").GetString());
        }

        Assert.Equal(409, outcomes[1].GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal("pending", (await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{notHeld}"))).GetProperty("status").GetString());
        // Another tenant's job reads as absent, exactly as on the single-job call.
        Assert.Equal(404, outcomes[3].GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal("job_not_found", outcomes[3].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("running", (await JobsApiTests.ReadJsonAsync(await otherHttp.GetAsync($"/api/jobs/{foreign}"))).GetProperty("status").GetString());
        var first = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{ids[1]}"));
        Assert.Equal("succeeded", first.GetProperty("status").GetString());
        Assert.Equal(1, first.GetProperty("report").GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("""{"workerId":"w","jobs":[]}""", "'jobs' must list at least one job.")]
    [InlineData("""{"workerId":"w","jobs":[{"report":{}}]}""", "Every entry of 'jobs' needs an 'id'.")]
    [InlineData("""{"workerId":"w","jobs":[{"id":"0193a4f0-6c2e-7d41-9b8a-5f3e2d1c0b9a"},{"id":"0193a4f0-6c2e-7d41-9b8a-5f3e2d1c0b9a"}]}""", "'jobs' names a job more than once.")]
    public async Task CompleteMany_WithABadList_Gets400NamingIt(string body, string message)
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);

        using var response = await http.PostAsync("/api/worker/complete", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JobsApiTests.ReadProblemAsync(response);
        Assert.Contains(message, problem.GetProperty("errors").GetProperty("jobs").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Fail_WithRetry_ReturnsTheJobToPendingAfterItsBackOff()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-retry");
        var id = (await JobsApiTests.CreateAsync(http, "flaky")).GetProperty("id").GetGuid();
        Assert.Single(await worker.FetchAsync(["flaky"]));

        var failed = await WorkerClient.OkJsonAsync(worker.FailAsync(id, "timeout", "upstream timed out"));

        Assert.Equal("pending", failed.GetProperty("status").GetString());
        var runAfter = failed.GetProperty("runAfter").GetDateTimeOffset();
        // Attempt 1 failed: base 10 s with ±20 % jitter.
        Assert.InRange(runAfter - gateway.Time.GetUtcNow(), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
        Assert.Empty(await worker.FetchAsync(["flaky"]));
        gateway.Time.Advance(TimeSpan.FromSeconds(12));
        var again = Assert.Single(await worker.FetchAsync(["flaky"]));
        Assert.Equal(2, again.GetProperty("attempts").GetInt32());
        var job = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
        Assert.Equal("timeout", job.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Fail_WhenAttemptsAreUsedUp_FailsWithTheLastError()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-exhaust");
        var id = (await JobsApiTests.CreateAsync(http, "flaky")).GetProperty("id").GetGuid();
        Assert.Single(await worker.FetchAsync(["flaky"]));
        await WorkerClient.OkJsonAsync(worker.FailAsync(id, "first", "first failure"));
        gateway.Time.Advance(TimeSpan.FromSeconds(13));
        Assert.Single(await worker.FetchAsync(["flaky"]));

        var last = await WorkerClient.OkJsonAsync(worker.FailAsync(id, "second", "second failure"));

        Assert.Equal("failed", last.GetProperty("status").GetString());
        var job = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        Assert.Equal("second", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("second failure", job.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Fail_WithoutRetry_FailsAtOnce()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-final");
        var id = (await JobsApiTests.CreateAsync(http, "flaky")).GetProperty("id").GetGuid();
        Assert.Single(await worker.FetchAsync(["flaky"]));

        var failed = await WorkerClient.OkJsonAsync(worker.FailAsync(id, "bad_input", "invoice missing", retry: false));

        Assert.Equal("failed", failed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ExpiredLease_ReturnsTheJobToPending_AndTheStaleWorkerIsRejected()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var crashed = new WorkerClient(http, "w-crashed");
        var rescuer = new WorkerClient(http, "w-rescuer");
        var type = "lease-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid();
        Assert.Single(await crashed.FetchAsync([type], lockSeconds: 10));

        gateway.Time.Advance(TimeSpan.FromSeconds(11));
        var moved = await gateway.Services.GetRequiredService<JobGateway.Execution.Workers.LeaseSweeper>().SweepAsync(default);
        var pending = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
        var late = await crashed.CompleteAsync(id, new { late = true });
        var rescued = Assert.Single(await rescuer.FetchAsync([type]));
        var done = await WorkerClient.OkJsonAsync(rescuer.CompleteAsync(id));

        Assert.True(moved >= 1);
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal("lease_expired", pending.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("lease_lost", (await JobsApiTests.ReadProblemAsync(late)).GetProperty("code").GetString());
        Assert.Equal(2, rescued.GetProperty("attempts").GetInt32());
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var final = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
        Assert.Equal(JsonValueKind.Null, final.GetProperty("report").ValueKind);
    }

    [Fact]
    public async Task Heartbeat_ExtendsTheLeaseSoItDoesNotExpire()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-beat");
        var type = "beat-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid();
        Assert.Single(await worker.FetchAsync([type], lockSeconds: 10));

        gateway.Time.Advance(TimeSpan.FromSeconds(8));
        await WorkerClient.OkJsonAsync(worker.HeartbeatAsync(id, lockSeconds: 10));
        gateway.Time.Advance(TimeSpan.FromSeconds(8));
        await gateway.Services.GetRequiredService<JobGateway.Execution.Workers.LeaseSweeper>().SweepAsync(default);

        Assert.Equal("succeeded", (await WorkerClient.OkJsonAsync(worker.CompleteAsync(id))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task StaleWorker_CannotTouchAJobItDoesNotHold()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var holder = new WorkerClient(http, "w-holder");
        var intruder = new WorkerClient(http, "w-intruder");
        var type = "stale-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid();
        Assert.Single(await holder.FetchAsync([type]));

        Assert.Equal(HttpStatusCode.Conflict, (await intruder.CompleteAsync(id)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await intruder.FailAsync(id, "x", "y")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await intruder.HeartbeatAsync(id, 99)).StatusCode);

        var job = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
        Assert.Equal("running", job.GetProperty("status").GetString());
        Assert.Equal(0, job.GetProperty("progress").GetInt32());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task CancelRunningJob_IsCooperative()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-cancel");
        var type = "cancel-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid();
        Assert.Single(await worker.FetchAsync([type]));

        var cancel = await http.PostAsync($"/api/jobs/{id}/cancel", null);
        var beat = await WorkerClient.OkJsonAsync(worker.HeartbeatAsync(id));
        var stopped = await WorkerClient.OkJsonAsync(worker.CancelledAsync(id));

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("running", (await JobsApiTests.ReadJsonAsync(cancel)).GetProperty("status").GetString());
        Assert.True(beat.GetProperty("cancellationRequested").GetBoolean());
        Assert.Equal("cancelled", stopped.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_WhileRunning_Returns409AndKeepsTheJob()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-del");
        var type = "del-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid();
        Assert.Single(await worker.FetchAsync([type]));

        var delete = await http.DeleteAsync($"/api/jobs/{id}");

        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal("job_running", (await JobsApiTests.ReadProblemAsync(delete)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/jobs/{id}")).StatusCode);
    }

    [Fact]
    public async Task BillingRuns_AtMostOneRunningPerClient()
    {
        var first = await gateway.CreateTenantAsync();
        var second = await gateway.CreateTenantAsync();
        using var a = gateway.CreateClient(first.ApiKey);
        using var b = gateway.CreateClient(second.ApiKey);
        using var operatorHttp = gateway.CreateClient(GatewayFactory.AdminKey);
        var operatorWorker = new WorkerClient(operatorHttp, "w-operator");
        // Drain billing-runs left by other tests of this class, so this test sees only its own.
        await DrainAsync(operatorWorker, "billing-run");
        var a1 = (await JobsApiTests.CreateAsync(a, "billing-run")).GetProperty("id").GetGuid();
        var a2 = (await JobsApiTests.CreateAsync(a, "billing-run")).GetProperty("id").GetGuid();
        var b1 = (await JobsApiTests.CreateAsync(b, "billing-run")).GetProperty("id").GetGuid();

        var firstRound = await operatorWorker.FetchAsync(["billing-run"], maxJobs: 10);
        var whileRunning = await operatorWorker.FetchAsync(["billing-run"], maxJobs: 10);
        await WorkerClient.OkJsonAsync(operatorWorker.CompleteAsync(a1));
        var afterwards = await operatorWorker.FetchAsync(["billing-run"], maxJobs: 10);

        Assert.Equal(new[] { a1, b1 }.Order(), firstRound.Select(j => j.GetProperty("id").GetGuid()).Order());
        Assert.Empty(whileRunning);
        Assert.Equal(a2, Assert.Single(afterwards).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task TenantWorker_GetsOnlyItsOwnClientsJobs()
    {
        var owner = await gateway.CreateTenantAsync("client", "worker");
        var other = await gateway.CreateTenantAsync("client", "worker");
        using var ownerHttp = gateway.CreateClient(owner.ApiKey);
        using var otherHttp = gateway.CreateClient(other.ApiKey);
        var type = "own-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await JobsApiTests.CreateAsync(ownerHttp, type)).GetProperty("id").GetGuid();
        var otherWorker = new WorkerClient(otherHttp, "w-other");

        Assert.Empty(await otherWorker.FetchAsync([type]));
        Assert.Equal(HttpStatusCode.NotFound, (await otherWorker.CompleteAsync(id)).StatusCode);
        var ownerWorker = new WorkerClient(ownerHttp, "w-owner");
        Assert.Single(await ownerWorker.FetchAsync([type]));
        Assert.Equal(HttpStatusCode.NotFound, (await otherWorker.HeartbeatAsync(id)).StatusCode);
    }

    [Fact]
    public async Task Fetch_LongPoll_WakesWhenAJobIsCreated()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-poll");
        var type = "poll-" + Guid.NewGuid().ToString("N")[..8];

        // The clock does not move in this test: only the new job's wake-up can end the wait.
        var waiting = worker.FetchAsync([type], waitSeconds: 30);
        var id = (await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid();
        var fetched = await waiting.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(id, Assert.Single(fetched).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Fetch_LongPoll_AnswersEmptyWhenTheWaitEnds()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-idle");

        Assert.Empty(await worker.FetchAsync(["nothing-" + Guid.NewGuid().ToString("N")[..8]], waitSeconds: 0));
    }

    [Fact]
    public async Task Fetch_OfAnInProcessType_Returns400()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);

        var response = await http.PostAsJsonAsync("/api/worker/fetch", new { workerId = "w", types = new[] { "noop" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("type_runs_in_process", (await JobsApiTests.ReadProblemAsync(response)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"types":["t"]}""", "workerId")]
    [InlineData("""{"workerId":"w","types":[]}""", "types")]
    [InlineData("""{"workerId":"w","types":["t"],"maxJobs":0}""", "maxJobs")]
    [InlineData("""{"workerId":"w","types":["t"],"waitSeconds":61}""", "waitSeconds")]
    [InlineData("""{"workerId":"w","types":["t"],"lockSeconds":1}""", "lockSeconds")]
    public async Task Fetch_WithBadRequest_Returns400NamingTheField(string body, string field)
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);

        var response = await http.PostAsync("/api/worker/fetch", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JobsApiTests.ReadProblemAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task WorkerApi_RefusesKeysWithoutTheWorkerRole()
    {
        var tenant = await gateway.CreateTenantAsync("client");
        using var http = gateway.CreateClient(tenant.ApiKey);

        var response = await http.PostAsJsonAsync("/api/worker/fetch", new { workerId = "w", types = new[] { "t" } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task DrainAsync(WorkerClient worker, string type)
    {
        while (true)
        {
            var batch = await worker.FetchAsync([type], maxJobs: 100);
            if (batch.Length == 0)
            {
                return;
            }

            foreach (var job in batch)
            {
                await worker.CompleteAsync(job.GetProperty("id").GetGuid());
            }
        }
    }
}
