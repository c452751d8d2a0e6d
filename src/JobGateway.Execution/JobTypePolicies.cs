using JobGateway.Core.Execution;
using Microsoft.Extensions.Options;

namespace JobGateway.Execution;

/// <summary>
/// Routes each job type to the in-process workers or the external worker queue, and gives its retry
/// policy. A type runs in-process when configured so, or by default when a handler is registered for it;
/// every other type (the vendor types among them) waits for external workers.
/// </summary>
internal sealed class JobTypePolicies : IJobTypePolicies
{
    private readonly ExecutionOptions _options;
    private readonly HashSet<string> _handled;

    public JobTypePolicies(IOptions<ExecutionOptions> options, IEnumerable<IJobHandler> handlers)
    {
        _options = options.Value;
        _handled = handlers.Select(h => h.Type).ToHashSet(StringComparer.Ordinal);

        // Options and handlers are fixed for the life of the process: every worker round reuses this list.
        InProcessTypes = _handled.Where(t => !RunsExternally(t)).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The types the in-process workers claim.</summary>
    public IReadOnlyList<string> InProcessTypes { get; }

    public bool RunsExternally(string jobType)
    {
        var runner = _options.Types.TryGetValue(jobType, out var type) ? type.Runner : JobRunner.Auto;
        return runner switch
        {
            JobRunner.External => true,
            JobRunner.InProcess => false,
            JobRunner.Auto => !_handled.Contains(jobType),
            _ => throw new ArgumentOutOfRangeException(nameof(jobType), runner, null),
        };
    }

    public RetryPolicy RetryPolicyFor(string jobType)
    {
        _options.Types.TryGetValue(jobType, out var type);
        return new RetryPolicy(
            type?.MaxAttempts ?? _options.DefaultMaxAttempts,
            TimeSpan.FromSeconds(type?.RetryBaseSeconds ?? _options.DefaultRetryBaseSeconds),
            TimeSpan.FromSeconds(type?.RetryMaxSeconds ?? _options.DefaultRetryMaxSeconds));
    }
}
