using JobGateway.Core.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobGateway.Execution.Workers;

/// <summary>Returns the jobs of crashed workers (in-process or external) to Pending when their lease runs out.</summary>
public sealed class LeaseSweeper(IServiceScopeFactory scopes, IOptions<ExecutionOptions> options, TimeProvider time, ILogger<LeaseSweeper> logger) : BackgroundService
{
    /// <summary>One sweep; returns how many jobs moved.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobLifecycle>().ExpireLeasesAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RunBackgroundServices
            ? PeriodicWork.RunAsync(nameof(LeaseSweeper), TimeSpan.FromSeconds(options.Value.LeaseSweepSeconds), time, logger, SweepAsync, stoppingToken)
            : Task.CompletedTask;
}
