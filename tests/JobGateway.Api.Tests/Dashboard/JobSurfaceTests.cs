using System.Globalization;
using System.Net;
using JobGateway.Api.Tests.AccountTasks;
using JobGateway.Api.Tests.ElasticPath;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Soap;
using JobGateway.Core.Jobs;
using JobGateway.Execution.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Dashboard;

/// <summary>Every surface that creates jobs records itself on them, through its real wire protocol.</summary>
public sealed class JobSurfaceTests(SteppedGatewayFactory gateway) : IClassFixture<SteppedGatewayFactory>
{
    [Fact]
    public async Task EachSurface_RecordsItselfOnTheJobsItCreates()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient(tenant.ApiKey);

        var native = (await NativeApi.CreateJobAsync(client, "report", "native")).GetProperty("id").GetGuid();
        var elasticPath = Guid.Parse((await ElasticPathTestSupport.CreateAsync(client)).GetProperty("id").GetString()!);
        var soap = await SoapHttp.PostAsync(client, SoapHttp.T2APath, Envelopes.Soap11Type,
            Envelopes.Soap11(Envelopes.JobCreate(tenant.ApiKey, "via-soap")), "\"https://api.t2a.io/soap/job_create\"");
        Assert.Equal(HttpStatusCode.OK, soap.Status);

        // An hourly task that started an hour ago: run once by hand, and its due occurrence fired by the scheduler.
        var now = gateway.Time.GetUtcNow();
        var task = await AccountTaskTestSupport.CreateAsync(client, change: body =>
        {
            body["Frequency"] = "HOURLY";
            body["StartDate"] = now.AddHours(-1).ToString("O", CultureInfo.InvariantCulture);
            body["FinishDate"] = null;
        });
        var taskId = task.GetProperty("ID").GetString();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"{AccountTaskTestSupport.TasksPath}/run?id={taskId}", null)).StatusCode);
        Assert.Equal(1, await gateway.Services.GetRequiredService<AccountTaskScheduler>().TickAsync(default));

        var jobs = await TestJobs.ListAsync(gateway, tenant.ClientId);
        Assert.Equal(JobSurface.Native, Assert.Single(jobs, j => j.Id == native).Surface);
        Assert.Equal(JobSurface.ElasticPath, Assert.Single(jobs, j => j.Id == elasticPath).Surface);
        Assert.Equal(JobSurface.SoapT2A, Assert.Single(jobs, j => j.Name == "via-soap").Surface);
        var runs = jobs.Where(j => j.Type == "account-task").OrderBy(j => j.Number).Select(j => j.Surface);
        Assert.Equal([JobSurface.AccountTask, JobSurface.Scheduler], runs);
    }
}
