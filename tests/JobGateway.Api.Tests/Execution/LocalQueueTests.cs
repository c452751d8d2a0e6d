using JobGateway.Api.Tests.Infrastructure;
using JobGateway.Api.Tests.Jobs;
using JobGateway.Core.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Execution;

/// <summary>A handler that runs until it is cancelled; <see cref="Started"/> completes when it has begun.</summary>
internal sealed class HoldingHandler : IJobHandler
{
    public string Type => "hold";

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<string?> HandleAsync(JobExecutionContext context, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }
}

public sealed class LocalQueueTests
{
    [Fact]
    public async Task ClaimedJobsWaitingForASlot_GoBackToPendingAtShutdown_WithoutAnAttempt()
    {
        var holding = new HoldingHandler();
        using var first = new GatewayFactory();
        first.Settings["Gateway:Execution:Slots"] = "1";
        first.Settings["Gateway:Execution:LocalQueue"] = "8";
        first.TestServices = services => services.AddSingleton<IJobHandler>(holding);
        var tenant = await first.CreateTenantAsync();
        Guid held;
        var queued = new List<Guid>();
        using (var http = first.CreateClient(tenant.ApiKey))
        {
            // The one slot runs the holding job; the noop jobs created next are claimed into the local queue (Running,
            // leased to this instance) and wait there for the slot.
            held = (await JobsApiTests.CreateAsync(http, "hold")).GetProperty("id").GetGuid();
            await holding.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
            for (var i = 0; i < 5; i++)
            {
                queued.Add((await JobsApiTests.CreateAsync(http, "noop")).GetProperty("id").GetGuid());
            }

            foreach (var id in queued)
            {
                var waiting = await JobPolling.WaitForStatusAsync(http, id, "running", TimeSpan.FromSeconds(20));
                Assert.Equal(1, waiting.GetProperty("attempts").GetInt32());
            }
        }

        using var second = first.CreateRestartedHost();
        second.Settings["Gateway:Execution:Slots"] = "0";
        await first.DisposeAsync();

        using var after = second.CreateClient(tenant.ApiKey);
        foreach (var id in queued.Append(held))
        {
            var job = await JobsApiTests.ReadJsonAsync(await after.GetAsync($"/api/jobs/{id}"));
            Assert.Equal("pending", job.GetProperty("status").GetString());
            Assert.Equal(0, job.GetProperty("attempts").GetInt32());
            var events = (await JobsApiTests.ReadJsonAsync(await after.GetAsync($"/api/jobs/{id}/events"))).EnumerateArray()
                .Select(e => $"{e.GetProperty("from").GetString()}>{e.GetProperty("to").GetString()}");
            Assert.Equal(["pending>running", "running>pending"], events);
        }
    }
}
