using System.Net.Http.Json;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Core.Execution;
using JobGateway.Execution.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Execution;

/// <summary>Test handlers: <c>explode</c> always throws; <c>permanent</c> fails for good.</summary>
internal sealed class ExplodingHandler : IJobHandler
{
    public string Type => "explode";

    public Task<string?> HandleAsync(JobExecutionContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("boom");
}

internal sealed class PermanentFailureHandler : IJobHandler
{
    public string Type => "permanent";

    public Task<string?> HandleAsync(JobExecutionContext context, CancellationToken cancellationToken) =>
        throw new PermanentJobFailureException("bad_payload", "The payload names no invoice.");
}

internal sealed class ProgressHandler : IJobHandler
{
    public string Type => "progress";

    public async Task<string?> HandleAsync(JobExecutionContext context, CancellationToken cancellationToken)
    {
        await context.ReportProgress(60, cancellationToken);
        return """{"steps":2}""";
    }
}

public sealed class InProcessFactory : SteppedGatewayFactory
{
    public InProcessFactory()
    {
        Settings["Gateway:Execution:Types:explode:MaxAttempts"] = "2";
        Settings["Gateway:Execution:Types:explode:RetryBaseSeconds"] = "5";
        TestServices = services =>
        {
            services.AddSingleton<IJobHandler, ExplodingHandler>();
            services.AddSingleton<IJobHandler, PermanentFailureHandler>();
            services.AddSingleton<IJobHandler, ProgressHandler>();
        };
    }
}

public sealed class InProcessWorkerTests(InProcessFactory gateway) : IClassFixture<InProcessFactory>
{
    private InProcessWorker Worker => gateway.Services.GetRequiredService<InProcessWorker>();

    [Fact]
    public async Task NoopJob_RunsInProcessAndSucceeds()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var http = gateway.CreateClient(tenant.ApiKey);
        var id = (await JobsApiTests.CreateAsync(http, "noop")).GetProperty("id").GetGuid();

        await DrainAsync();

        var job = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.True(job.GetProperty("report").GetProperty("handled").GetBoolean());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Handler_ProgressIsRecorded()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var http = gateway.CreateClient(tenant.ApiKey);
        var id = (await JobsApiTests.CreateAsync(http, "progress")).GetProperty("id").GetGuid();

        await DrainAsync();

        var job = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(2, job.GetProperty("report").GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task ThrowingHandler_IsRetriedThenFails()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var http = gateway.CreateClient(tenant.ApiKey);
        var id = (await JobsApiTests.CreateAsync(http, "explode")).GetProperty("id").GetGuid();

        await DrainAsync();
        var afterFirst = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
        gateway.Time.Advance(TimeSpan.FromSeconds(7));
        await DrainAsync();
        var afterSecond = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));

        Assert.Equal("pending", afterFirst.GetProperty("status").GetString());
        Assert.Equal("handler_error", afterFirst.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("failed", afterSecond.GetProperty("status").GetString());
        Assert.Equal(2, afterSecond.GetProperty("attempts").GetInt32());
        Assert.Equal("InvalidOperationException: boom", afterSecond.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task PermanentFailure_IsNotRetried()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var http = gateway.CreateClient(tenant.ApiKey);
        var id = (await JobsApiTests.CreateAsync(http, "permanent")).GetProperty("id").GetGuid();

        await DrainAsync();

        var job = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"));
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal("bad_payload", job.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ExternalTypes_AreLeftForExternalWorkers()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var http = gateway.CreateClient(tenant.ApiKey);
        var id = (await JobsApiTests.CreateAsync(http, "t2a")).GetProperty("id").GetGuid();

        await DrainAsync();

        Assert.Equal("pending", (await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}"))).GetProperty("status").GetString());
    }

    // Runs in-process jobs until none is ready, exactly as one worker slot's loop would.
    private async Task DrainAsync()
    {
        while (await Worker.RunOnceAsync("test-slot", CancellationToken.None))
        {
        }
    }
}

public sealed class BackgroundWorkerTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _gateway;

    public BackgroundWorkerTests(GatewayFactory gateway) => _gateway = gateway;

    [Fact]
    public async Task NewJob_WakesAnIdleWorkerWithoutTheClockMoving()
    {
        var tenant = await _gateway.CreateTenantAsync();
        using var http = _gateway.CreateClient(tenant.ApiKey);

        var id = (await JobsApiTests.CreateAsync(http, "noop")).GetProperty("id").GetGuid();

        // The test clock never moves, so idle polling cannot be what runs the job: only the wake-up can.
        var job = await JobPolling.WaitForStatusAsync(http, id, "succeeded", TimeSpan.FromSeconds(20));
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
    }
}

internal static class JobPolling
{
    /// <summary>Polls the job as a client would until it reaches <paramref name="status"/>; fails after <paramref name="timeout"/>.</summary>
    public static async Task<System.Text.Json.JsonElement> WaitForStatusAsync(HttpClient http, Guid id, string status, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var job = await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}", deadline.Token));
            if (job.GetProperty("status").GetString() == status)
            {
                return job;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }
}
