using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Core.AccountTasks;
using JobGateway.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using static JobGateway.Api.Tests.AccountTasks.AccountTaskTestSupport;

namespace JobGateway.Api.Tests.AccountTasks;

public sealed class AccountTaskLifecycleTests(SteppedGatewayFactory gateway) : IClassFixture<SteppedGatewayFactory>
{
    private const string WorkerId = "task-test-worker";

    [Fact]
    public async Task Get_ReturnsTheTaskAsCreated()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var created = await CreateAsync(client);

        var fetched = await DetailAsync(client, created.GetProperty("ID").GetGuid());

        Assert.Equal(created.GetRawText(), fetched.GetRawText());
    }

    [Fact]
    public async Task List_ReturnsTheClientsTasksOldestFirst_AsJsonAndXml()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await CreateAsync(client, first);
        gateway.Time.Advance(TimeSpan.FromSeconds(1));
        await CreateAsync(client, second);

        var json = await ReadJsonAsync(await client.GetAsync(TasksPath), HttpStatusCode.OK);
        var xml = await ReadXmlAsync(await SendAsync(client, HttpMethod.Get, TasksPath, null, null, "text/xml"), HttpStatusCode.OK, "ResponseOfArrayOfAccountTaskResponse", "text/xml");

        var data = json.GetProperty("ResponseData");
        Assert.Equal(tenant.Name, data.GetProperty("Identification").GetProperty("UserId").GetString());
        Assert.Equal([first, second], data.GetProperty("Detail").EnumerateArray().Select(t => t.GetProperty("TaskID").GetGuid()));
        var items = xml.Element("ResponseData")!.Element("Detail")!.Elements().ToArray();
        Assert.All(items, i => Assert.Equal("AccountTaskResponse", i.Name.LocalName));
        Assert.All(items, i => Assert.Equal(SeedNames("ResponseData", "Detail"), i.Elements().Select(e => e.Name.LocalName)));
        Assert.Equal([first.ToString(), second.ToString()], items.Select(i => i.Element("TaskID")!.Value));
    }

    [Theory]
    [InlineData("offset=1&limit=1", "b")]
    [InlineData("offset=0&limit=2", "a,b")]
    [InlineData("offset=3", "")]
    [InlineData("limit=100", "a,b,c")]
    public async Task List_PagesWithOffsetAndLimit(string query, string expected)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        foreach (var name in new[] { "a", "b", "c" })
        {
            await CreateAsync(client, change: r => r["Name"] = name);
            gateway.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var envelope = await ReadJsonAsync(await client.GetAsync($"{TasksPath}?{query}"), HttpStatusCode.OK);

        Assert.Equal(
            expected.Split(',', StringSplitOptions.RemoveEmptyEntries),
            envelope.GetProperty("ResponseData").GetProperty("Detail").EnumerateArray().Select(t => t.GetProperty("Name").GetString()));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("offset=-1")]
    [InlineData("offset=x")]
    public async Task List_WithBadPaging_Returns400InTheListEnvelope(string query)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var envelope = await ReadXmlAsync(await SendAsync(client, HttpMethod.Get, $"{TasksPath}?{query}", null, null, "application/xml"), HttpStatusCode.BadRequest, "ResponseOfArrayOfAccountTaskResponse");

        Assert.Equal("validation_failed", envelope.Element("Error")!.Element("ErrorCode")!.Value);
    }

    [Fact]
    public async Task Update_ReplacesWhatTheRequestHolds_AndKeepsEnabledAndHistory()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var created = await CreateAsync(client);
        var id = created.GetProperty("ID").GetGuid();
        await RunAsync(client, id);
        await SendAsync(client, HttpMethod.Post, $"{TasksPath}/{id}/disable", null, null);
        gateway.Time.Advance(TimeSpan.FromMinutes(5));
        var newTaskId = Guid.NewGuid();
        var xml = ValidXml(newTaskId).Replace("<Frequency>NONE</Frequency>", "<Frequency>MONTHLY</Frequency>", StringComparison.Ordinal);

        var response = await SendAsync(client, HttpMethod.Put, $"{TasksPath}/{id}", xml, "application/xml", "application/json");

        var detail = (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("ResponseData").GetProperty("Detail");
        Assert.Equal(id, detail.GetProperty("ID").GetGuid());
        Assert.Equal(newTaskId, detail.GetProperty("TaskID").GetGuid());
        Assert.Equal("MONTHLY", detail.GetProperty("Frequency").GetString());
        Assert.Equal("application/xml", detail.GetProperty("ContentType").GetString());
        Assert.False(detail.GetProperty("Enabled").GetBoolean());
        Assert.Equal(created.GetProperty("DateCreated").GetDateTimeOffset(), detail.GetProperty("DateCreated").GetDateTimeOffset());
        Assert.Equal(gateway.Time.GetUtcNow(), detail.GetProperty("DateModified").GetDateTimeOffset());
        Assert.Equal(tenant.Name, detail.GetProperty("LastRunBy").GetString());
    }

    [Fact]
    public async Task Update_ToATaskIdAnotherOfTheClientsTasksUses_Returns409AndChangesNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var taken = Guid.NewGuid();
        await CreateAsync(client, taken);
        var other = await CreateAsync(client);
        var id = other.GetProperty("ID").GetGuid();

        var response = await SendAsync(client, HttpMethod.Put, $"{TasksPath}/{id}", ValidJson(taken).ToJsonString(), "application/json");

        Assert.Equal("task_exists", (await ReadJsonErrorAsync(response, HttpStatusCode.Conflict)).Code);
        Assert.Equal(other.GetRawText(), (await DetailAsync(client, id)).GetRawText());
    }

    [Fact]
    public async Task Update_BreakingARule_Returns400AndChangesNothing()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var created = await CreateAsync(client);
        var id = created.GetProperty("ID").GetGuid();
        var body = ValidJson();
        body["ContentType"] = "text/csv";

        var response = await SendAsync(client, HttpMethod.Put, $"{TasksPath}/{id}", body.ToJsonString(), "application/json");

        Assert.Equal("validation_failed", (await ReadJsonErrorAsync(response, HttpStatusCode.BadRequest)).Code);
        Assert.Equal(created.GetRawText(), (await DetailAsync(client, id)).GetRawText());
    }

    [Fact]
    public async Task Delete_AnswersWithTheTaskAndRemovesIt()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var created = await CreateAsync(client);
        var id = created.GetProperty("ID").GetGuid();

        var response = await client.DeleteAsync($"{TasksPath}/{id}");

        Assert.Equal(created.GetRawText(), (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("ResponseData").GetProperty("Detail").GetRawText());
        Assert.Equal("task_not_found", (await ReadJsonErrorAsync(await client.GetAsync($"{TasksPath}/{id}"), HttpStatusCode.NotFound)).Code);
        Assert.Equal("task_not_found", (await ReadJsonErrorAsync(await client.DeleteAsync($"{TasksPath}/{id}"), HttpStatusCode.NotFound)).Code);
    }

    [Fact]
    public async Task DisableAndEnable_FlipEnabled_AndAnIdleDisabledTaskReadsDisabled()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client)).GetProperty("ID").GetGuid();

        var disabled = (await ReadJsonAsync(await client.PostAsync($"{TasksPath}/{id}/disable", null), HttpStatusCode.OK)).GetProperty("ResponseData").GetProperty("Detail");
        var enabled = (await ReadJsonAsync(await client.PostAsync($"{TasksPath}/{id}/enable", null), HttpStatusCode.OK)).GetProperty("ResponseData").GetProperty("Detail");

        Assert.False(disabled.GetProperty("Enabled").GetBoolean());
        Assert.Equal("Disabled", disabled.GetProperty("Status").GetString());
        Assert.True(enabled.GetProperty("Enabled").GetBoolean());
        Assert.Equal("Scheduled", enabled.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task RunNow_CreatesAnAccountTaskJobAtOnce_AndRecordsTheRun()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var created = await CreateAsync(client);
        var id = created.GetProperty("ID").GetGuid();
        gateway.Time.Advance(TimeSpan.FromMinutes(3));

        var response = await client.PostAsync($"{TasksPath}/run?id={id}", null);

        var detail = (await ReadJsonAsync(response, HttpStatusCode.Accepted)).GetProperty("ResponseData").GetProperty("Detail");
        Assert.Equal(gateway.Time.GetUtcNow(), detail.GetProperty("LastRunOn").GetDateTimeOffset());
        Assert.Equal(tenant.Name, detail.GetProperty("LastRunBy").GetString());
        Assert.Equal("Scheduled", detail.GetProperty("Status").GetString());
        var jobUrl = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/api/jobs/", jobUrl, StringComparison.Ordinal);
        var job = JsonDocument.Parse(await client.GetStringAsync(jobUrl)).RootElement;
        Assert.Equal(AccountTask.JobType, job.GetProperty("type").GetString());
        Assert.Equal("pending", job.GetProperty("status").GetString());
        Assert.Equal(id, job.GetProperty("payload").GetProperty("taskId").GetGuid());
        Assert.Equal(created.GetProperty("TaskID").GetGuid(), job.GetProperty("payload").GetProperty("clientTaskId").GetGuid());
        Assert.Equal("""{"report":"usage"}""", job.GetProperty("payload").GetProperty("parameters").GetString());
        await using var scope = gateway.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<IAccountTaskStore>().GetAsync(tenant.ClientId, id, default);
        Assert.Equal(job.GetProperty("id").GetGuid(), stored!.LastJobId);
    }

    [Fact]
    public async Task RunNow_OfADisabledTask_StillRuns()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client)).GetProperty("ID").GetGuid();
        await client.PostAsync($"{TasksPath}/{id}/disable", null);

        var detail = (await ReadJsonAsync(await client.PostAsync($"{TasksPath}/run?id={id}", null), HttpStatusCode.Accepted)).GetProperty("ResponseData").GetProperty("Detail");

        Assert.False(detail.GetProperty("Enabled").GetBoolean());
        Assert.Equal("Scheduled", detail.GetProperty("Status").GetString());
    }

    [Theory]
    [InlineData("run", "Running")]
    [InlineData("succeed", "Completed")]
    [InlineData("fail", "Failed")]
    [InlineData("cancel", "Cancelled")]
    public async Task Status_IsTheLastRunsStatus(string step, string status)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client)).GetProperty("ID").GetGuid();
        var jobId = await RunAsync(client, id);

        await using (var scope = gateway.Services.CreateAsyncScope())
        {
            var jobs = scope.ServiceProvider.GetRequiredService<IJobStore>();
            var now = gateway.Time.GetUtcNow();
            if (step != "cancel")
            {
                var claim = new ClaimRequest(WorkerId, [AccountTask.JobType], 1, TimeSpan.FromMinutes(5)) { ClientId = tenant.ClientId };
                Assert.Equal(jobId, Assert.Single(await jobs.ClaimAsync(claim, default)).Id);
            }

            Action<Job>? finish = step switch
            {
                "succeed" => j => j.Succeed(WorkerId, null, now),
                "fail" => j => j.Fail(WorkerId, new JobError("boom", "It broke."), now),
                "cancel" => j => j.RequestCancellation(now),
                _ => null,
            };
            if (finish is not null)
            {
                Assert.NotNull(await jobs.UpdateAsync(tenant.ClientId, jobId, finish, default));
            }
        }

        Assert.Equal(status, (await DetailAsync(client, id)).GetProperty("Status").GetString());
        var listed = (await ReadJsonAsync(await client.GetAsync(TasksPath), HttpStatusCode.OK)).GetProperty("ResponseData").GetProperty("Detail");
        Assert.Equal(status, listed[0].GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Status_OfADisabledTaskWhoseRunIsOver_IsDisabled_AndOfOneStillRunning_IsRunning()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);
        var id = (await CreateAsync(client)).GetProperty("ID").GetGuid();
        var jobId = await RunAsync(client, id);
        await client.PostAsync($"{TasksPath}/{id}/disable", null);
        await using var scope = gateway.Services.CreateAsyncScope();
        var jobs = scope.ServiceProvider.GetRequiredService<IJobStore>();
        await jobs.ClaimAsync(new ClaimRequest(WorkerId, [AccountTask.JobType], 1, TimeSpan.FromMinutes(5)) { ClientId = tenant.ClientId }, default);

        var running = (await DetailAsync(client, id)).GetProperty("Status").GetString();
        var now = gateway.Time.GetUtcNow();
        await jobs.UpdateAsync(tenant.ClientId, jobId, j => j.Succeed(WorkerId, null, now), default);
        var finished = (await DetailAsync(client, id)).GetProperty("Status").GetString();

        Assert.Equal("Running", running);
        Assert.Equal("Disabled", finished);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    [InlineData("not-a-guid")]
    public async Task UnknownIds_Return404OnEveryCall(string id)
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        foreach (var response in await CallEveryEndpointAsync(client, id))
        {
            Assert.Equal("task_not_found", (await ReadJsonErrorAsync(response, HttpStatusCode.NotFound)).Code);
        }
    }

    [Fact]
    public async Task OtherTenant_GetsNotFoundOnEveryCall_AndChangesNothing()
    {
        var owner = await gateway.CreateTenantAsync();
        var other = await gateway.CreateTenantAsync();
        using var ownerClient = gateway.CreateClient(owner.ApiKey);
        using var otherClient = gateway.CreateClient(other.ApiKey);
        var created = await CreateAsync(ownerClient);
        var id = created.GetProperty("ID").GetGuid();

        var unknown = await ReadJsonErrorAsync(await otherClient.GetAsync($"{TasksPath}/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        foreach (var response in await CallEveryEndpointAsync(otherClient, id.ToString()))
        {
            var error = await ReadJsonErrorAsync(response, HttpStatusCode.NotFound);
            Assert.Equal(unknown.Code, error.Code);
        }

        Assert.Equal(0, await CountTasksAsync(otherClient));
        Assert.Equal(created.GetRawText(), (await DetailAsync(ownerClient, id)).GetRawText());
        Assert.Equal(0, JsonDocument.Parse(await ownerClient.GetStringAsync("/api/jobs")).RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task EveryCall_WithoutAKey_Returns401Envelope()
    {
        using var anonymous = gateway.CreateClient(apiKey: null);

        foreach (var response in await CallEveryEndpointAsync(anonymous, Guid.NewGuid().ToString()))
        {
            Assert.Equal("unauthorized", (await ReadJsonErrorAsync(response, HttpStatusCode.Unauthorized)).Code);
        }
    }

    private static async Task<HttpResponseMessage[]> CallEveryEndpointAsync(HttpClient client, string id) =>
    [
        await client.GetAsync($"{TasksPath}/{id}"),
        await SendAsync(client, HttpMethod.Put, $"{TasksPath}/{id}", ValidJson().ToJsonString(), "application/json"),
        await client.DeleteAsync($"{TasksPath}/{id}"),
        await client.PostAsync($"{TasksPath}/run?id={id}", null),
        await client.PostAsync($"{TasksPath}/{id}/enable", null),
        await client.PostAsync($"{TasksPath}/{id}/disable", null),
    ];

    private static async Task<Guid> RunAsync(HttpClient client, Guid id)
    {
        var response = await client.PostAsync($"{TasksPath}/run?id={id}", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return Guid.Parse(response.Headers.Location!.OriginalString["/api/jobs/".Length..]);
    }

    private static async Task<JsonElement> DetailAsync(HttpClient client, Guid id) =>
        (await ReadJsonAsync(await client.GetAsync($"{TasksPath}/{id}"), HttpStatusCode.OK)).GetProperty("ResponseData").GetProperty("Detail");
}
