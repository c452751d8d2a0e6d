using System.Diagnostics.Metrics;
using JobGateway.Core.Jobs;
using JobGateway.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Persistence.Stores;

/// <summary>
/// The gauge of Pending jobs per type (<c>jobgateway.jobs.pending</c>). A collection (a scrape) answers from counts
/// read at most once per <c>cacheFor</c>: one grouped read of the partial index of Pending jobs
/// (IX_Jobs_PendingTypeNumber), whose size is the backlog, not the table. Concurrent scrapes share one read.
/// </summary>
public sealed class PendingJobsGauge
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheFor;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private Measurement<long>[] _counts = [];
    private long _readAt;
    private bool _read;

    public PendingJobsGauge(IServiceScopeFactory scopes, GatewayTelemetry telemetry, TimeProvider time, TimeSpan cacheFor)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _scopes = scopes;
        _time = time;
        _cacheFor = cacheFor;
        telemetry.ObservePendingJobs(Observe);
    }

    private Measurement<long>[] Observe()
    {
        lock (_lock)
        {
            if (!_read || _time.GetElapsedTime(_readAt) >= _cacheFor)
            {
                _counts = Read();
                _readAt = _time.GetTimestamp();
                _read = true;
            }

            return _counts;
        }
    }

    // Synchronous: the collection callback is. The Pending status is a literal in the SQL, so the partial index serves it.
    // A type whose backlog emptied is reported as 0, not left out: an exporter would go on showing its last count.
    private Measurement<long>[] Read()
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var counts = db.Jobs.Where(j => j.Status == JobStatus.Pending)
            .GroupBy(j => j.Type)
            .Select(g => new { Type = g.Key, Count = g.LongCount() })
            .ToDictionary(c => c.Type, c => c.Count, StringComparer.Ordinal);
        _known.UnionWith(counts.Keys);
        return [.. _known.Select(type => GatewayTelemetry.PendingMeasurement(type, counts.GetValueOrDefault(type)))];
    }
}
