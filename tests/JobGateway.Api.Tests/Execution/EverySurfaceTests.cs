using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using JobGateway.Api.Tests.AccountTasks;
using JobGateway.Api.Tests.ElasticPath;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Api.Tests.Soap;
using JobGateway.Execution.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Execution;

/// <summary>
/// A job created over each surface is fetched by an external worker over HTTP, heartbeats and completes,
/// and then every surface shows the finished state and the report in its own dialect.
/// </summary>
public sealed class EverySurfaceTests(SteppedGatewayFactory gateway) : IClassFixture<SteppedGatewayFactory>
{
    [Fact]
    public async Task JobsFromEverySurface_RunByAnHttpWorker_ShowAsFinishedEverywhere()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        using var http = gateway.CreateClient(tenant.ApiKey);
        using var soap = gateway.CreateClient(apiKey: null);

        // One job per surface.
        var billing = (await ElasticPathTestSupport.CreateAsync(http, "billing-run", "ep-ref")).GetProperty("id").GetGuid();
        var t2aReply = await SoapHttp.PostAsync(soap, SoapHttp.T2APath, Envelopes.Soap11Type, Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "acme")), "\"https://api.t2a.io/soap/job_create\"");
        Assert.Equal(HttpStatusCode.OK, t2aReply.Status);
        var t2aNumber = long.Parse(Value(t2aReply.Body, "job_id_raw"), System.Globalization.CultureInfo.InvariantCulture);
        var upload = (await JobsApiTests.CreateAsync(http, "upload")).GetProperty("id").GetGuid();
        var task = (await AccountTaskTestSupport.CreateAsync(http)).GetProperty("ID").GetGuid();
        var run = await http.PostAsync($"{AccountTaskTestSupport.TasksPath}/run?id={task}", null);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        var taskRun = Guid.Parse(run.Headers.Location!.OriginalString["/api/jobs/".Length..]);

        // An external worker serves them all over HTTP.
        var worker = new WorkerClient(http, "w-everywhere");
        var fetched = await worker.FetchAsync(["billing-run", "t2a", "upload", "account-task"], maxJobs: 10);
        Assert.Equal(4, fetched.Length);
        var ids = new Dictionary<string, Guid>();
        foreach (var job in fetched)
        {
            var id = job.GetProperty("id").GetGuid();
            var type = job.GetProperty("type").GetString()!;
            ids[type] = id;
            await WorkerClient.OkJsonAsync(worker.HeartbeatAsync(id, progress: 50));
            await WorkerClient.OkJsonAsync(worker.CompleteAsync(id, ReportFor(type)));
        }

        Assert.Equal(billing, ids["billing-run"]);
        Assert.Equal(upload, ids["upload"]);
        Assert.Equal(taskRun, ids["account-task"]);
        await gateway.Services.GetRequiredService<WebhookDispatcher>().DispatchOnceAsync(default);

        // Native API: succeeded, with the report.
        foreach (var id in ids.Values)
        {
            var job = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
            Assert.Equal("succeeded", job.GetProperty("status").GetString());
            Assert.Equal(100, job.GetProperty("progress").GetInt32());
            Assert.NotEqual(JsonValueKind.Null, job.GetProperty("report").ValueKind);
        }

        var t2aJob = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{ids["t2a"]}"));
        Assert.Equal(t2aNumber, t2aJob.GetProperty("number").GetInt64());
        Assert.Equal("acme", t2aJob.GetProperty("name").GetString());

        // Elastic Path: success, with the billing report in its shape.
        var ep = (await ElasticPathTestSupport.ReadAsync(await http.GetAsync($"/v2/subscriptions/jobs/{billing}"), HttpStatusCode.OK)).GetProperty("data");
        Assert.Equal("success", ep.GetProperty("attributes").GetProperty("status").GetString());
        Assert.Equal(42, ep.GetProperty("meta").GetProperty("report").GetProperty("invoices_ready_for_payment").GetInt32());
        Assert.Equal(4200, ep.GetProperty("meta").GetProperty("report").GetProperty("total_ready_for_payment").GetProperty("USD").GetProperty("amount").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, ep.GetProperty("meta").GetProperty("timestamps").GetProperty("finished_at").ValueKind);

        // DiscountASP GetJobStatus: Completed, whichever surface created the job.
        foreach (var id in ids.Values)
        {
            var status = await SoapHttp.PostAsync(soap, SoapHttp.CustomerApiPath, Envelopes.Soap12Type, Envelopes.Soap12(Envelopes.GetJobStatus(tenant.ApiKey, id.ToString())));
            Assert.Equal(HttpStatusCode.OK, status.Status);
            Assert.Equal("Completed", Value(status.Body, "Status"));
        }

        // MagnetMail getUploadJobStatus: status 2 and the record counters the worker reported.
        var uploadNumber = (await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{upload}"))).GetProperty("number").GetInt64();
        var mm = await SoapHttp.PostAsync(soap, SoapHttp.MagnetMailPath, Envelopes.Soap11Type,
            Envelopes.Soap11(Envelopes.GetUploadJobStatus("mm-user", uploadNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)), Envelopes.MmAuthHeader(tenant.ApiKey)),
            "\"http://www.magnetmail.net/getUploadJobStatus\"");
        Assert.Equal(HttpStatusCode.OK, mm.Status);
        Assert.Equal("2", Value(mm.Body, "status"));
        Assert.Equal("420", Value(mm.Body, "total_records"));
        Assert.Equal("7042", Value(mm.Body, "groupid"));

        // 2sms account task: its last run completed.
        var detail = (await AccountTaskTestSupport.ReadJsonAsync(await http.GetAsync($"{AccountTaskTestSupport.TasksPath}/{task}"), HttpStatusCode.OK))
            .GetProperty("ResponseData").GetProperty("Detail");
        Assert.Equal("Completed", detail.GetProperty("Status").GetString());
    }

    private static object ReportFor(string type) => type switch
    {
        "billing-run" => new
        {
            invoices_ready_for_payment = 42,
            invoices_tax_required = 4,
            invoice_failures = 0,
            // A dictionary: the web JSON defaults would camel-case a property named USD.
            total_ready_for_payment = new Dictionary<string, object> { ["USD"] = new { amount = 4200, includes_tax = false } },
            total_tax_required = new Dictionary<string, object> { ["USD"] = new { amount = 420, includes_tax = false } },
        },
        "upload" => new { total_records = 420, good_records = 418, new_added = 252, old_updated = 166, update_dups = 2, group_count = 1, groupid = 7042 },
        _ => new { processed = 1 },
    };

    private static string Value(string xml, string localName) =>
        XDocument.Parse(xml).Descendants().First(e => e.Name.LocalName == localName).Value;
}
