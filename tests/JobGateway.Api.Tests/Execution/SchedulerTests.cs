using System.Text.Json;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Core.AccountTasks;
using JobGateway.Core.Jobs;
using JobGateway.Execution.Scheduling;
using JobGateway.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Execution;

public sealed class SchedulerTests(SteppedGatewayFactory gateway) : IClassFixture<SteppedGatewayFactory>
{
    private AccountTaskScheduler Scheduler => gateway.Services.GetRequiredService<AccountTaskScheduler>();

    [Fact]
    public async Task DailyTask_FiresOncePerDay_OverASimulatedWeek()
    {
        var tenant = await gateway.CreateTenantAsync();
        var start = gateway.Time.GetUtcNow().AddMinutes(30);
        var task = await AddTaskAsync(tenant, TaskFrequency.Daily, start, start.AddDays(7));

        // A week and a bit, one scheduler round every 15 minutes, twice per round (as two instances would).
        for (var step = 0; step < (8 * 24 * 4); step++)
        {
            gateway.Time.Advance(TimeSpan.FromMinutes(15));
            await Scheduler.TickAsync(default);
            await Scheduler.TickAsync(default);
        }

        var runs = await RunsAsync(tenant, task.Id);
        Assert.Equal(Enumerable.Range(0, 7).Select(d => start.AddDays(d)), runs.Select(r => r.Occurrence));
        Assert.All(runs, r => Assert.Equal(AccountTask.JobType, r.Job.GetProperty("type").GetString()));
        var stored = await LoadTaskAsync(task.Id);
        Assert.Equal(start.AddDays(6), stored.LastOccurrence);
        Assert.Equal("scheduler", stored.LastRunBy);
        Assert.Equal(runs[^1].Job.GetProperty("id").GetGuid(), stored.LastJobId);
    }

    [Fact]
    public async Task HourlyTask_AfterDowntime_FiresOnlyTheLatestMissedOccurrence()
    {
        var tenant = await gateway.CreateTenantAsync();
        var start = gateway.Time.GetUtcNow();
        var task = await AddTaskAsync(tenant, TaskFrequency.Hourly, start, null);
        await Scheduler.TickAsync(default);

        gateway.Time.Advance(TimeSpan.FromHours(5).Add(TimeSpan.FromMinutes(10)));
        await Scheduler.TickAsync(default);

        var runs = await RunsAsync(tenant, task.Id);
        Assert.Equal([start, start.AddHours(5)], runs.Select(r => r.Occurrence));
    }

    [Fact]
    public async Task OnceTask_FiresOnceAtItsStartDate()
    {
        var tenant = await gateway.CreateTenantAsync();
        var start = gateway.Time.GetUtcNow().AddHours(2);
        var task = await AddTaskAsync(tenant, TaskFrequency.None, start, null);

        await Scheduler.TickAsync(default);
        var before = await RunsAsync(tenant, task.Id);
        gateway.Time.Advance(TimeSpan.FromHours(3));
        await Scheduler.TickAsync(default);
        gateway.Time.Advance(TimeSpan.FromDays(3));
        await Scheduler.TickAsync(default);

        Assert.Empty(before);
        Assert.Equal([start], (await RunsAsync(tenant, task.Id)).Select(r => r.Occurrence));
    }

    [Fact]
    public async Task DisabledTask_DoesNotFire()
    {
        var tenant = await gateway.CreateTenantAsync();
        var task = await AddTaskAsync(tenant, TaskFrequency.Hourly, gateway.Time.GetUtcNow(), null, enabled: false);

        gateway.Time.Advance(TimeSpan.FromHours(3));
        await Scheduler.TickAsync(default);

        Assert.Empty(await RunsAsync(tenant, task.Id));
    }

    [Fact]
    public async Task CrashBetweenCreatingTheRunAndRecordingIt_DoesNotFireTheOccurrenceTwice()
    {
        var tenant = await gateway.CreateTenantAsync();
        var start = gateway.Time.GetUtcNow();
        var task = await AddTaskAsync(tenant, TaskFrequency.Daily, start, null);

        // The first instance created the run's job and died before recording the occurrence on the task.
        await using (var scope = gateway.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IJobStore>().CreateAsync(task.NewRun(start), default);
        }

        await Scheduler.TickAsync(default);

        var runs = await RunsAsync(tenant, task.Id);
        Assert.Equal([start], runs.Select(r => r.Occurrence));
        Assert.Equal(start, (await LoadTaskAsync(task.Id)).LastOccurrence);
    }

    private async Task<AccountTask> AddTaskAsync(TestTenant tenant, TaskFrequency frequency, DateTimeOffset start, DateTimeOffset? finish, bool enabled = true)
    {
        var task = AccountTask.Create(
            tenant.ClientId,
            new AccountTaskSpec(Guid.NewGuid(), frequency, start, finish, """{"report":"daily"}""", "application/json", TaskNotification.None, "nightly export"),
            tenant.Name,
            gateway.Time.GetUtcNow());
        if (!enabled)
        {
            task.SetEnabled(false, tenant.Name, gateway.Time.GetUtcNow());
        }

        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        db.AccountTasks.Add(task);
        await db.SaveChangesAsync();
        return task;
    }

    private async Task<AccountTask> LoadTaskAsync(Guid id)
    {
        await using var scope = gateway.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GatewayDbContext>().AccountTasks.AsNoTracking().SingleAsync(t => t.Id == id);
    }

    // The task's runs as its client sees them over the native API.
    private async Task<List<(JsonElement Job, DateTimeOffset Occurrence)>> RunsAsync(TestTenant tenant, Guid taskId)
    {
        using var http = gateway.CreateClient(tenant.ApiKey);
        var page = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs?type={AccountTask.JobType}&externalRef={taskId}&pageSize=100"));
        return page.GetProperty("items").EnumerateArray()
            .Select(j => (j, j.GetProperty("payload").GetProperty("occurrence").GetDateTimeOffset()))
            .ToList();
    }
}
