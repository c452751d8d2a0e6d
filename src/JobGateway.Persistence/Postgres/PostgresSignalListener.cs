using JobGateway.Core.Execution;
using Microsoft.Extensions.Hosting;

namespace JobGateway.Persistence.Postgres;

/// <summary>Runs the PostgreSQL signal's listener and sender for the life of the host, when that is the signal in use.</summary>
internal sealed class PostgresSignalListener(IJobSignal signal) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        signal is PostgresJobSignal postgres ? postgres.RunAsync(stoppingToken) : Task.CompletedTask;
}
