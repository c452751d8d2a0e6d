using System.Collections.Concurrent;

namespace JobGateway.Core.Execution;

/// <summary>
/// "New work may be ready": lets idle workers and long-polling fetches wake as soon as a job is created or
/// becomes ready again, instead of polling. A waiter may say which job types it serves; a pulse that names the
/// types it concerns then wakes only the waiters for those types (and those that serve any type), so a burst
/// of creates of one type does not send every idle worker of the other types looking for work.
/// </summary>
public interface IJobSignal
{
    /// <summary>Jobs of any type may be ready: wakes every waiter.</summary>
    void Pulse();

    /// <summary>Jobs of <paramref name="types"/> became ready: wakes the waiters for any of them, and those for any type.</summary>
    void Pulse(IEnumerable<string> types);

    /// <summary>Completes at the next pulse (or when cancelled).</summary>
    Task WaitAsync(CancellationToken cancellationToken);

    /// <summary>Completes at the next pulse that may concern one of <paramref name="types"/> (or when cancelled).</summary>
    Task WaitAsync(IReadOnlyCollection<string> types, CancellationToken cancellationToken);
}

/// <summary>The signal within one process.</summary>
public sealed class InProcessJobSignal : IJobSignal
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _byType = new(StringComparer.Ordinal);
    private TaskCompletionSource _any = NewSource();

    public void Pulse()
    {
        Interlocked.Exchange(ref _any, NewSource()).TrySetResult();
        foreach (var type in _byType.Keys)
        {
            Wake(type);
        }
    }

    public void Pulse(IEnumerable<string> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        Interlocked.Exchange(ref _any, NewSource()).TrySetResult();
        foreach (var type in types)
        {
            Wake(type);
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken) => Volatile.Read(ref _any).Task.WaitAsync(cancellationToken);

    public Task WaitAsync(IReadOnlyCollection<string> types, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (types.Count == 0)
        {
            return WaitAsync(cancellationToken);
        }

        return types.Count == 1
            ? SourceFor(types.First()).Task.WaitAsync(cancellationToken)
            : Task.WhenAny(types.Select(t => SourceFor(t).Task)).WaitAsync(cancellationToken);
    }

    private TaskCompletionSource SourceFor(string type) => _byType.GetOrAdd(type, static _ => NewSource());

    // Completes the source a waiter for this type holds now; a type nobody waits for costs one lookup.
    private void Wake(string type)
    {
        while (_byType.TryGetValue(type, out var current))
        {
            if (_byType.TryUpdate(type, NewSource(), current))
            {
                current.TrySetResult();
                return;
            }
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
