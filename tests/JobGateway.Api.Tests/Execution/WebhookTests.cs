using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Core.AccountTasks;
using JobGateway.Core.Jobs;
using JobGateway.Execution.Scheduling;
using JobGateway.Execution.Webhooks;
using JobGateway.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobGateway.Api.Tests.Execution;

/// <summary>A real HTTP receiver on loopback that answers with the statuses a test scripts.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _statuses = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Signature, string EventId, string Body)> Received { get; } = new();

    public string Url => _app.Urls.First() + "/hook";

    public static async Task<WebhookReceiver> StartAsync(params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        foreach (var status in statuses)
        {
            receiver._statuses.Enqueue(status);
        }

        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.Received.Enqueue((context.Request.Headers[WebhookDispatcher.SignatureHeader].ToString(), context.Request.Headers[WebhookDispatcher.EventIdHeader].ToString(), body));
            context.Response.StatusCode = receiver._statuses.TryDequeue(out var scripted) ? scripted : 200;
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed class WebhookTests(SteppedGatewayFactory gateway) : IClassFixture<SteppedGatewayFactory>
{
    private WebhookDispatcher Dispatcher => gateway.Services.GetRequiredService<WebhookDispatcher>();

    [Fact]
    public async Task FinishedJob_IsDeliveredSigned_AfterARetry()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500);
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        var secret = await SetWebhookAsync(tenant, receiver.Url, "ALWAYS");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-hook");
        var type = "hook-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid();
        Assert.Single(await worker.FetchAsync([type]));
        await WorkerClient.OkJsonAsync(worker.CompleteAsync(id, new { total = 1 }));

        await Dispatcher.DispatchOnceAsync(default);
        var afterFailure = await EventsAsync(http, id);
        gateway.Time.Advance(TimeSpan.FromSeconds(6));
        await Dispatcher.DispatchOnceAsync(default);
        var afterRetry = await EventsAsync(http, id);

        Assert.Equal(["pending>running", "running>succeeded"], afterRetry.Select(e => $"{e.GetProperty("from").GetString()}>{e.GetProperty("to").GetString()}"));
        Assert.Equal("not_required", afterFailure[0].GetProperty("delivery").GetString());
        Assert.Equal("pending", afterFailure[1].GetProperty("delivery").GetString());
        Assert.Equal("HTTP 500", afterFailure[1].GetProperty("lastError").GetString());
        Assert.Equal("delivered", afterRetry[1].GetProperty("delivery").GetString());
        Assert.Equal(2, afterRetry[1].GetProperty("deliveryAttempts").GetInt32());

        Assert.Equal(2, receiver.Received.Count);
        var (signature, eventId, body) = receiver.Received.Last();
        var timestamp = long.Parse(signature.Split(',')[0]["t=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(WebhookDispatcher.Sign(secret, timestamp, body), signature);
        Assert.Equal(gateway.Time.GetUtcNow().ToUnixTimeSeconds(), timestamp);
        using var payload = JsonDocument.Parse(body);
        Assert.Equal(afterRetry[1].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), eventId);
        Assert.Equal("job.status_changed", payload.RootElement.GetProperty("type").GetString());
        Assert.Equal(id, payload.RootElement.GetProperty("data").GetProperty("jobId").GetGuid());
        Assert.Equal("succeeded", payload.RootElement.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public void Signature_IsHmacSha256OfTimestampAndBody()
    {
        // Independently computed: HMAC-SHA256(key "secret", "1700000000.{}").
        using var hmac = new System.Security.Cryptography.HMACSHA256("secret"u8.ToArray());
        var expected = Convert.ToHexString(hmac.ComputeHash("1700000000.{}"u8.ToArray())).ToLowerInvariant();

        Assert.Equal($"t=1700000000,v1={expected}", WebhookDispatcher.Sign("secret", 1700000000, "{}"));
    }

    [Fact]
    public async Task UnreachableReceiver_GivesUpAfterMaxAttempts()
    {
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        // Nothing listens on port 9 of loopback.
        await SetWebhookAsync(tenant, "http://127.0.0.1:9/hook", "ALWAYS");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var worker = new WorkerClient(http, "w-unreachable");
        var type = "gone-" + Guid.NewGuid().ToString("N")[..8];
        var id = (await JobsApiTests.CreateAsync(http, type)).GetProperty("id").GetGuid();
        Assert.Single(await worker.FetchAsync([type]));
        await WorkerClient.OkJsonAsync(worker.FailAsync(id, "x", "y", retry: false));

        for (var attempt = 0; attempt < 8; attempt++)
        {
            await Dispatcher.DispatchOnceAsync(default);
            gateway.Time.Advance(TimeSpan.FromMinutes(30));
        }

        var failed = (await EventsAsync(http, id))[^1];
        Assert.Equal("failed", failed.GetProperty("delivery").GetString());
        Assert.Equal(8, failed.GetProperty("deliveryAttempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("nextAttemptAt").ValueKind);
    }

    [Fact]
    public async Task AccountTaskRun_FollowsTheTasksPreference_AndUpdatesTheTasksStatus()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await gateway.CreateTenantAsync("client", "worker");
        await SetWebhookAsync(tenant, receiver.Url, "ALWAYS");
        using var http = gateway.CreateClient(tenant.ApiKey);
        var task = AccountTask.Create(
            tenant.ClientId,
            new AccountTaskSpec(Guid.NewGuid(), TaskFrequency.None, gateway.Time.GetUtcNow(), null, "{}", "application/json", TaskNotification.OnFailure),
            tenant.Name,
            gateway.Time.GetUtcNow());
        await using (var scope = gateway.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            db.AccountTasks.Add(task);
            await db.SaveChangesAsync();
        }

        await gateway.Services.GetRequiredService<AccountTaskScheduler>().TickAsync(default);
        var worker = new WorkerClient(http, "w-task");
        var run = Assert.Single(await worker.FetchAsync([AccountTask.JobType]));
        await WorkerClient.OkJsonAsync(worker.CompleteAsync(run.GetProperty("id").GetGuid()));
        await Dispatcher.DispatchOnceAsync(default);

        // The task asked for failures only: the client-level ALWAYS does not apply to its runs.
        Assert.Empty(receiver.Received);
        await using var check = gateway.Services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<GatewayDbContext>().AccountTasks.AsNoTracking().SingleAsync(t => t.Id == task.Id);
        Assert.Equal(JobStatus.Succeeded, stored.LastRunStatus);
    }

    [Fact]
    public async Task SetWebhook_WithBadUrl_Returns400()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);

        var response = await admin.PutAsJsonAsync($"/api/admin/clients/{tenant.ClientId}/webhook", new { url = "ftp://example.com/x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<string> SetWebhookAsync(TestTenant tenant, string url, string notification)
    {
        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);
        var set = await JobsApiTests.ReadJsonAsync(await admin.PutAsJsonAsync($"/api/admin/clients/{tenant.ClientId}/webhook", new { url, notification }));
        Assert.Equal(notification, set.GetProperty("notification").GetString());
        return set.GetProperty("secret").GetString()!;
    }

    private static async Task<JsonElement[]> EventsAsync(HttpClient http, Guid id) =>
        (await JobsApiTests.ReadJsonAsync(await http.GetAsync($"/api/jobs/{id}/events"))).EnumerateArray().ToArray();
}
