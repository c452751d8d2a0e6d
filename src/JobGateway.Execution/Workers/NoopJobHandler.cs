using JobGateway.Core.Execution;

namespace JobGateway.Execution.Workers;

/// <summary>Type <c>noop</c>: succeeds at once. For smoke tests and the end-to-end benchmark.</summary>
public sealed class NoopJobHandler : IJobHandler
{
    public const string JobType = "noop";

    public string Type => JobType;

    public Task<string?> HandleAsync(JobExecutionContext context, CancellationToken cancellationToken) =>
        Task.FromResult<string?>("""{"handled":true}""");
}
