using System.Collections.Concurrent;
using JobGateway.Core.Jobs;

namespace JobGateway.Core.Execution;

/// <summary>
/// The workers this instance knows of, for operators: its in-process slots (idle, or the job each runs) and the
/// external workers that called the worker API recently. Held in memory, per instance: with several instances each
/// knows its own; the jobs every worker holds, and their leases, are in the store.
/// </summary>
public sealed class WorkerDirectory
{
    /// <summary>External workers kept at most; past that, the ones not seen for longest are forgotten first.</summary>
    public const int MaxExternalWorkers = 1000;

    private readonly ConcurrentDictionary<string, InProcessSlot> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(Guid? Scope, string WorkerId), ExternalWorker> _external = new();

    /// <summary>An in-process slot is ready for work.</summary>
    public void SlotIdle(string workerId) => _slots[workerId] = new InProcessSlot(workerId, null, null, null, null, null);

    /// <summary>An in-process slot claimed <paramref name="job"/> at <paramref name="since"/>.</summary>
    public void SlotBusy(string workerId, Job job, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(job);
        _slots[workerId] = new InProcessSlot(workerId, job.Id, job.Number, job.Type, job.ClientId, since);
    }

    /// <summary>An in-process slot stopped (the host shuts down).</summary>
    public void SlotStopped(string workerId) => _slots.TryRemove(workerId, out _);

    /// <summary>The in-process slots, by id.</summary>
    public IReadOnlyList<InProcessSlot> InProcessSlots => [.. _slots.Values.OrderBy(s => s.WorkerId, StringComparer.Ordinal)];

    /// <summary>
    /// An external worker called the worker API (<paramref name="call"/>: fetch, heartbeat, complete, fail, cancelled).
    /// <paramref name="scope"/> is the client whose jobs its key serves, null for an operator's key that serves all.
    /// <paramref name="types"/> are the types it fetched (null: a call that names none).
    /// </summary>
    public void SawExternal(string workerId, Guid? scope, string call, IReadOnlyList<string>? types, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        if (!_external.TryGetValue((scope, workerId), out var worker))
        {
            // A worker not seen before (or forgotten): the only call that may grow the directory, so the only one
            // that counts it (counting a concurrent dictionary takes all its locks).
            worker = _external.GetOrAdd((scope, workerId), static key => new ExternalWorker(key.WorkerId, key.Scope));
            if (_external.Count > MaxExternalWorkers)
            {
                Forget(_external.Count - MaxExternalWorkers);
            }
        }

        worker.Saw(call, types, now);
    }

    /// <summary>
    /// External workers seen at or after <paramref name="since"/>, the latest first: those whose keys serve
    /// <paramref name="scope"/>'s jobs, or with a null scope every one (an operator's view).
    /// </summary>
    public IReadOnlyList<ExternalWorkerSighting> ExternalWorkers(DateTimeOffset since, Guid? scope) =>
        [.. _external.Values
            .Where(w => scope is null || w.Scope == scope)
            .Select(w => w.Sighting)
            .Where(s => s.LastSeen >= since)
            .OrderByDescending(s => s.LastSeen)];

    private void Forget(int count)
    {
        foreach (var stale in _external.Values.OrderBy(w => w.Sighting.LastSeen).Take(count).ToList())
        {
            _external.TryRemove((stale.Scope, stale.WorkerId), out _);
        }
    }

    // Updated in place on every call, without allocating: a worker API call records it in the same few
    // nanoseconds whether the worker is busy or long-polling.
    private sealed class ExternalWorker(string workerId, Guid? scope)
    {
        private long _lastSeenTicks = DateTimeOffset.MinValue.UtcTicks;
        private string _lastCall = string.Empty;
        private IReadOnlyList<string> _types = [];

        public string WorkerId => workerId;

        public Guid? Scope => scope;

        public ExternalWorkerSighting Sighting => new(
            workerId, scope, new DateTimeOffset(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero), Volatile.Read(ref _lastCall), Volatile.Read(ref _types));

        public void Saw(string call, IReadOnlyList<string>? types, DateTimeOffset now)
        {
            // Calls of one worker rarely race; the latest write of each field wins, which is all a "last seen" needs.
            Volatile.Write(ref _lastCall, call);
            if (types is not null)
            {
                Volatile.Write(ref _types, types);
            }

            Interlocked.Exchange(ref _lastSeenTicks, now.UtcTicks);
        }
    }
}

/// <summary>An in-process worker slot: idle, or the job it runs.</summary>
/// <param name="WorkerId">The slot's worker id (the lease owner of its jobs).</param>
/// <param name="JobId">The job it runs, if any.</param>
/// <param name="JobNumber">That job's number.</param>
/// <param name="JobType">That job's type.</param>
/// <param name="ClientId">That job's client.</param>
/// <param name="Since">When it claimed the job.</param>
public sealed record InProcessSlot(string WorkerId, Guid? JobId, long? JobNumber, string? JobType, Guid? ClientId, DateTimeOffset? Since);

/// <summary>The last call of an external worker.</summary>
/// <param name="WorkerId">The id it sends.</param>
/// <param name="Scope">The client whose jobs its key serves; null: every client's (an operator's key).</param>
/// <param name="LastSeen">When it last called.</param>
/// <param name="LastCall">What it called: fetch, heartbeat, complete, fail or cancelled.</param>
/// <param name="Types">The types of its last fetch.</param>
public sealed record ExternalWorkerSighting(string WorkerId, Guid? Scope, DateTimeOffset LastSeen, string LastCall, IReadOnlyList<string> Types);
