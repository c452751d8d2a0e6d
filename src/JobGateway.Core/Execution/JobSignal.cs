namespace JobGateway.Core.Execution;

/// <summary>
/// Wakes waiting workers when a job may have become claimable (created, retried, lease expired), so an idle
/// worker or a long-polling external worker reacts at once instead of on its next poll.
/// </summary>
public interface IJobSignal
{
    /// <summary>Wakes everyone waiting now.</summary>
    void Pulse();

    /// <summary>Completes at the next <see cref="Pulse"/> (or when cancelled).</summary>
    Task WaitAsync(CancellationToken cancellationToken);
}

/// <summary>The signal within one process.</summary>
public sealed class InProcessJobSignal : IJobSignal
{
    private TaskCompletionSource _next = NewSource();

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => Volatile.Read(ref _next).Task.WaitAsync(cancellationToken);

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
