using System.Net;
using System.Net.Http.Json;
using JobGateway.Api.Tests.Execution;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Api.Tests.Soap;
using JobGateway.Core.Jobs;
using JobGateway.Execution.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Metrics;

/// <summary>
/// Meters are process-wide by name: these tests run alone (no other test host records into the "JobGateway" meter
/// meanwhile), so even the counters of shared types and of webhooks are exact.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsRunAlone
{
    public const string Name = "metrics";
}

/// <summary>A gateway whose metrics a test reads from loopback over a real connection.</summary>
public sealed class MetricsGateway : SteppedGatewayFactory
{
    public MetricsGateway()
    {
        Settings["Gateway:Telemetry:PendingGaugeSeconds"] = "0";
        UseRealServer();
    }
}

[Collection(MetricsRunAlone.Name)]
public sealed class MetricsTests(MetricsGateway gateway) : IClassFixture<MetricsGateway>
{
    [Fact]
    public async Task Scrape_AfterAKnownWorkload_CountsExactlyTheJobsRun()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500);
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);
        (await admin.PutAsJsonAsync($"/api/admin/clients/{tenant.ClientId}/webhook", new { url = receiver.Url, notification = "ALWAYS" })).EnsureSuccessStatusCode();
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-metrics");
        var type = "metrics-" + Guid.NewGuid().ToString("N")[..8];

        // Six native creates and two T2A creates over SOAP.
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid());
        }

        for (var i = 0; i < 2; i++)
        {
            var reply = await SoapHttp.PostAsync(http, SoapHttp.T2APath, Envelopes.Soap11Type,
                Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "metrics")), "\"https://api.t2a.io/soap/job_create\"");
            Assert.Equal(HttpStatusCode.OK, reply.Status);
        }

        // Five claimed: two succeed, one fails for good, one fails and is retried (claimed again after its back-off,
        // then succeeds), one is cancelled while running. The sixth is cancelled while pending.
        var claimed = (await worker.FetchAsync([type], maxJobs: 5)).Select(j => j.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(5, claimed.Count);
        await WorkerClient.OkJsonAsync(worker.CompleteAsync(claimed[0]));
        await WorkerClient.OkJsonAsync(worker.CompleteAsync(claimed[1]));
        await WorkerClient.OkJsonAsync(worker.FailAsync(claimed[2], "boom", "for good", retry: false));
        await WorkerClient.OkJsonAsync(worker.FailAsync(claimed[3], "flaky", "once", retry: true));
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync($"/api/jobs/{claimed[4]}/cancel", null)).StatusCode);
        await WorkerClient.OkJsonAsync(worker.CancelledAsync(claimed[4]));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/jobs/{ids.Except(claimed).Single()}/cancel", null)).StatusCode);
        gateway.Time.Advance(TimeSpan.FromSeconds(10));
        var retried = Assert.Single(await worker.FetchAsync([type]));
        Assert.Equal(claimed[3], retried.GetProperty("id").GetGuid());
        await WorkerClient.OkJsonAsync(worker.CompleteAsync(claimed[3]));

        // An operator requeues the job that failed for good: a retry, and one Pending job of the type.
        using (var scope = gateway.Services.CreateScope())
        {
            var requeued = await scope.ServiceProvider.GetRequiredService<IJobStore>()
                .UpdateAsync(tenant.ClientId, claimed[2], j => j.Requeue(gateway.Time.GetUtcNow()), default);
            Assert.Equal(JobStatus.Pending, requeued!.Status);
        }

        // Six finished runs notify the webhook: the first delivery fails (500) and is retried and delivered.
        var dispatcher = gateway.Services.GetRequiredService<WebhookDispatcher>();
        await dispatcher.DispatchOnceAsync(default);
        gateway.Time.Advance(TimeSpan.FromSeconds(6));
        await dispatcher.DispatchOnceAsync(default);
        Assert.Equal(7, receiver.Received.Count);

        using var loopback = new HttpClient { BaseAddress = gateway.ServerAddress };
        var response = await loopback.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var metrics = new PrometheusText(await response.Content.ReadAsStringAsync());

        var ofType = ("type", type);
        Assert.Equal(6, metrics.Value("jobgateway_jobs_created_total", ofType, ("surface", "native")));
        Assert.Null(metrics.Value("jobgateway_jobs_created_total", ofType, ("surface", "soap-t2a")));
        Assert.Equal(2, metrics.Value("jobgateway_jobs_created_total", ("type", "t2a"), ("surface", "soap-t2a")));
        Assert.Equal(6, metrics.Value("jobgateway_jobs_claimed_total", ofType));
        Assert.Equal(3, metrics.Value("jobgateway_jobs_succeeded_total", ofType));
        Assert.Equal(1, metrics.Value("jobgateway_jobs_failed_total", ofType));
        Assert.Equal(2, metrics.Value("jobgateway_jobs_retried_total", ofType));
        Assert.Equal(2, metrics.Value("jobgateway_jobs_cancelled_total", ofType));
        Assert.Equal(1, metrics.Value("jobgateway_jobs_pending", ofType));
        Assert.Equal(2, metrics.Value("jobgateway_jobs_pending", ("type", "t2a")));
        Assert.Equal("counter", metrics.TypeOf("jobgateway_jobs_created_total"));
        Assert.Equal("gauge", metrics.TypeOf("jobgateway_jobs_pending"));

        // Histograms: one run per finished run (three succeeded, one failed, one cancelled while running), one pickup per claim.
        Assert.Equal("histogram", metrics.TypeOf("jobgateway_job_run_duration_seconds"));
        Assert.Equal(3, metrics.Value("jobgateway_job_run_duration_seconds_count", ofType, ("outcome", "succeeded")));
        Assert.Equal(1, metrics.Value("jobgateway_job_run_duration_seconds_count", ofType, ("outcome", "failed")));
        Assert.Equal(1, metrics.Value("jobgateway_job_run_duration_seconds_count", ofType, ("outcome", "cancelled")));
        Assert.Equal(6, metrics.Value("jobgateway_job_pickup_latency_seconds_count", ofType));
        Assert.Equal(6, metrics.Value("jobgateway_job_pickup_latency_seconds_bucket", ofType, ("le", "+Inf")));

        // The retried job was picked up 10 s after it was created and its back-off (2 s +- 20%) ended: at least 7.6 s.
        Assert.True(metrics.Value("jobgateway_job_pickup_latency_seconds_sum", ofType) >= 7.6);

        Assert.Equal(6, metrics.Value("jobgateway_webhook_deliveries_total", ("outcome", "delivered")));
        Assert.Equal(1, metrics.Value("jobgateway_webhook_deliveries_total", ("outcome", "retrying")));
        Assert.Null(metrics.Value("jobgateway_webhook_deliveries_total", ("outcome", "failed")));

        // ASP.NET Core's and the runtime's meters are exported too.
        Assert.Contains(metrics.Names, n => n.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal));
        Assert.Contains(metrics.Names, n => n.StartsWith("dotnet_", StringComparison.Ordinal));
    }
}
