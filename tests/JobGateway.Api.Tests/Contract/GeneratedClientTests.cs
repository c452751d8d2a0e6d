using System.Net.Http.Headers;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.GatewayClient;

namespace JobGateway.Api.Tests.Contract;

/// <summary>
/// A client developer's day with the client NSwag generates from the document (tests/JobGateway.GatewayClient), over
/// HTTP against the real Kestrel host: no hand-written HTTP, only the API key in the Authorization header is ours.
/// </summary>
public sealed class GeneratedClientTests
{
    [Fact]
    public async Task GeneratedClient_RunsTheWholeFlow_AgainstTheRealHost()
    {
        using var gateway = new SteppedGatewayFactory();
        gateway.UseRealServer();
        using var adminHttp = Http(gateway, GatewayFactory.AdminKey);
        var admin = new GatewayClient.GatewayClient(adminHttp);

        // Admin: a client (tenant) with its first key, and a worker key for it.
        var created = await admin.CreateClientAsync(new CreateClientRequest { Name = "acme-" + Guid.NewGuid().ToString("N")[..8], Roles = [Role.Client] });
        Assert.Equal(201, created.StatusCode);
        Assert.Equal($"/api/admin/clients/{created.Result.Client.Id}", Header(created, "Location"));
        var workerKey = await admin.IssueClientKeyAsync(created.Result.Client.Id, new IssueKeyRequest { Name = "worker", Roles = [Role.Worker] });
        Assert.Equal([Role.Worker], workerKey.Result.Roles);
        using var tenantHttp = Http(gateway, created.Result.ApiKey.Key);
        using var workerHttp = Http(gateway, workerKey.Result.Key);
        var tenant = new GatewayClient.GatewayClient(tenantHttp);
        var worker = new GatewayClient.GatewayClient(workerHttp);

        // Native jobs: create with an Idempotency-Key (a retry replays the same job), get, list, cancel.
        var request = new CreateJobRequest { Type = "billing-run", Name = "November", Payload = new { month = 11 }, ExternalRef = "inv-42" };
        var job = await tenant.CreateJobAsync("nov-billing", request);
        Assert.Equal(202, job.StatusCode);
        Assert.Equal($"/api/jobs/{job.Result.Id}", Header(job, "Location"));
        Assert.Equal("1", Header(job, "Retry-After"));
        var replay = await tenant.CreateJobAsync("nov-billing", request);
        Assert.Equal(job.Result.Id, replay.Result.Id);
        Assert.Equal("true", Header(replay, "Idempotent-Replayed"));
        var read = await tenant.GetJobAsync(job.Result.Id);
        Assert.Equal(JobStatus.Pending, read.Result.Status);
        Assert.Null(read.Result.Error);
        var list = await tenant.ListJobsAsync([JobStatus.Pending, JobStatus.Running], ["billing-run"], "inv-42", null, null, 10, null);
        Assert.Equal([job.Result.Id], list.Result.Items.Select(j => j.Id));
        var cancelled = await tenant.CancelJobAsync(job.Result.Id);
        Assert.Equal(JobStatus.Cancelled, cancelled.Result.Status);
        Assert.True(cancelled.Result.Done);

        // Elastic Path: two subscription jobs, then a page of one.
        foreach (var type in new[] { SubscriptionJobType.BillingRun, SubscriptionJobType.TaxRun })
        {
            var subscription = await tenant.CreateSubscriptionJobAsync(null, new SubscriptionJobCreateRequest
            {
                Data = new SubscriptionJobCreateData
                {
                    Type = SubscriptionJobCreateDataType.Subscription_job,
                    Attributes = new SubscriptionJobCreateAttributes
                    {
                        Job_type = type,
                        External_ref = "ep-flow",
                        Taxes = [new TaxesForInvoice { Invoice_id = Guid.NewGuid(), Tax_items = [new TaxItem { Type = TaxItemType.Tax_item, Name = "VAT", Rate = 0.2 }] }],
                    },
                },
            });
            Assert.Equal(201, subscription.StatusCode);
            Assert.Equal(SubscriptionJobStatus.Pending, subscription.Result.Data.Attributes.Status);
        }

        var page = await tenant.ListSubscriptionJobsAsync(0, 1, "eq(external_ref,ep-flow)");
        Assert.Single(page.Result.Data);
        Assert.Equal(2, page.Result.Meta.Results.Total);
        Assert.NotNull(page.Result.Links.Next);

        // 2sms: a task, run now; the run's job is where Location says.
        var task = await tenant.CreateAccountTaskAsync(new AccountTaskRequest
        {
            TaskID = Guid.NewGuid(),
            Frequency = Frequency.DAILY,
            Parameters = """{"report":"usage"}""",
            ContentType = ParametersContentType.Application_json,
            Notification = Notification.ON_FAILURE,
        });
        Assert.Equal(201, task.StatusCode);
        var run = await tenant.RunAccountTaskAsync(task.Result.ResponseData!.Detail.ID);
        Assert.Equal(202, run.StatusCode);
        var runJob = Guid.Parse(Header(run, "Location")!["/api/jobs/".Length..]);

        // Worker: fetch the run's job and complete it; the tenant sees it succeeded.
        var fetched = await worker.FetchJobsAsync(new FetchRequest { WorkerId = "flow-worker", Types = ["account-task"], MaxJobs = 1 });
        Assert.Equal([runJob], fetched.Result.Select(j => j.Id));
        var completed = await worker.CompleteJobAsync(runJob, new CompleteRequest { WorkerId = "flow-worker", Report = new { sent = 3 } });
        Assert.Equal(JobStatus.Succeeded, completed.Result.Status);
        Assert.True((await tenant.GetJobAsync(runJob)).Result.Done);

        // Errors arrive as the documented problem details, with their stable code.
        var missing = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => tenant.GetJobAsync(Guid.NewGuid()));
        Assert.Equal("job_not_found", missing.Result.Code);

        gateway.Contract.AssertNoViolations();
    }

    private static HttpClient Http(GatewayFactory gateway, string apiKey) => new()
    {
        BaseAddress = gateway.ServerAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", apiKey) },
    };

    private static string? Header(SwaggerResponse response, string name) =>
        response.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.Single();
}
