using System.Diagnostics;
using System.Diagnostics.Metrics;
using JobGateway.Core.Jobs;
using JobGateway.Core.Notifications;

namespace JobGateway.Core.Telemetry;

/// <summary>
/// The gateway's own meter and activity source (both named <see cref="Name"/>). The stores call it where a change
/// commits, never where it is attempted: a create once its job is durable, a claim once its transaction is, a status
/// move once its save succeeded. Recording costs no allocation: instruments are created once, tags are passed on the
/// stack, and activities are only started when a listener (an OTLP exporter) is attached.
/// </summary>
public sealed class GatewayTelemetry : IDisposable
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "JobGateway";

    /// <summary>Tag of a job's type.</summary>
    public const string TypeTag = "type";

    /// <summary>Tag of a job's surface (<see cref="JobSurfaces.Name"/>).</summary>
    public const string SurfaceTag = "surface";

    /// <summary>Tag of an outcome (<c>succeeded</c>, <c>failed</c>, <c>cancelled</c>; for webhooks <c>delivered</c>, <c>retrying</c>, <c>failed</c>).</summary>
    public const string OutcomeTag = "outcome";

    // Seconds: from a few milliseconds (in-process jobs, an idle worker waking at once) to an hour.
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Meter _meter;
    private readonly Counter<long> _created;
    private readonly Counter<long> _claimed;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Histogram<double> _runDuration;
    private readonly Histogram<double> _pickupLatency;

    public GatewayTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(Name);
        _created = _meter.CreateCounter<long>("jobgateway.jobs.created", "{job}", "Jobs created, by type and the surface they came through.");
        _claimed = _meter.CreateCounter<long>("jobgateway.jobs.claimed", "{job}", "Jobs claimed by a worker (each attempt once).");
        _succeeded = _meter.CreateCounter<long>("jobgateway.jobs.succeeded", "{job}", "Jobs that succeeded.");
        _failed = _meter.CreateCounter<long>("jobgateway.jobs.failed", "{job}", "Jobs that failed for good (no attempt left, or failed without retry).");
        _retried = _meter.CreateCounter<long>("jobgateway.jobs.retried", "{job}", "Jobs sent back to Pending for another attempt: a failed attempt retried, a lease that expired, or an operator's retry of a failed or cancelled job.");
        _cancelled = _meter.CreateCounter<long>("jobgateway.jobs.cancelled", "{job}", "Jobs cancelled.");
        _webhookDeliveries = _meter.CreateCounter<long>("jobgateway.webhook.deliveries", "{delivery}", "Webhook delivery attempts, by outcome: delivered, retrying (failed, another attempt follows) or failed (the last attempt failed).");
        _runDuration = _meter.CreateHistogram(
            "jobgateway.job.run.duration", "s", "From a job's first start to its end (succeeded, failed, or cancelled while running).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _pickupLatency = _meter.CreateHistogram(
            "jobgateway.job.pickup.latency", "s", "From the moment a job was ready to run (created, or its retry back-off over) to its claim by a worker.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        ActivitySource = new ActivitySource(Name);
    }

    /// <summary>The source of the gateway's activities: <c>job.create</c> and <c>job.run</c>.</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary>
    /// Registers the gauge of Pending jobs per type. <paramref name="observe"/> runs at each collection (each scrape)
    /// and should answer from a cache.
    /// </summary>
    public void ObservePendingJobs(Func<IEnumerable<Measurement<long>>> observe) =>
        _meter.CreateObservableGauge("jobgateway.jobs.pending", observe, "{job}", "Jobs waiting to be claimed, by type.");

    /// <summary>A Pending-jobs measurement of one type.</summary>
    public static Measurement<long> PendingMeasurement(string type, long count) => new(count, new KeyValuePair<string, object?>(TypeTag, type));

    /// <summary>Starts the activity of a create (null when nobody listens).</summary>
    public Activity? StartCreate(NewJob request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var activity = ActivitySource.StartActivity("job.create");
        activity?.SetTag("jobgateway.job.type", request.Type).SetTag("jobgateway.job.surface", JobSurfaces.Name(request.Surface));
        return activity;
    }

    /// <summary>A job was created and is durably stored.</summary>
    public void JobCreated(Job job, Activity? activity)
    {
        ArgumentNullException.ThrowIfNull(job);
        _created.Add(1, new KeyValuePair<string, object?>(TypeTag, job.Type), new KeyValuePair<string, object?>(SurfaceTag, JobSurfaces.Name(job.Surface)));
        activity?.SetTag("jobgateway.job.id", job.Id).SetTag("jobgateway.job.number", job.Number);
    }

    /// <summary>A claim of <paramref name="job"/> committed at <paramref name="now"/>.</summary>
    public void JobClaimed(Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var type = new KeyValuePair<string, object?>(TypeTag, job.Type);
        _claimed.Add(1, type);
        _pickupLatency.Record(Math.Max(0, (now - job.RunAfter).TotalSeconds), type);
    }

    /// <summary>
    /// A change of <paramref name="job"/> committed; before it the job was in <paramref name="from"/> with
    /// <paramref name="attemptsBefore"/> attempts. A move back to Pending that keeps the attempt counted is a retry (a
    /// worker that hands a job back on shutdown uncounts its attempt: that is no retry).
    /// </summary>
    public void JobChanged(Job job, JobStatus from, int attemptsBefore)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Status == from)
        {
            return;
        }

        var type = new KeyValuePair<string, object?>(TypeTag, job.Type);
        switch (job.Status)
        {
            case JobStatus.Succeeded:
                _succeeded.Add(1, type);
                RecordRun(job, type, "succeeded");
                break;
            case JobStatus.Failed:
                _failed.Add(1, type);
                RecordRun(job, type, "failed");
                break;
            case JobStatus.Cancelled:
                _cancelled.Add(1, type);
                if (from == JobStatus.Running)
                {
                    RecordRun(job, type, "cancelled");
                }

                break;
            case JobStatus.Pending when from != JobStatus.Running || job.Attempts >= attemptsBefore:
                _retried.Add(1, type);
                break;
            case JobStatus.Pending:
            case JobStatus.Running:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(job), job.Status, null);
        }
    }

    /// <summary>A webhook delivery attempt ended in <paramref name="state"/> and that was saved.</summary>
    public void WebhookDelivered(DeliveryState state)
    {
        var outcome = state switch
        {
            DeliveryState.Delivered => "delivered",
            DeliveryState.Pending => "retrying",
            DeliveryState.Failed => "failed",
            DeliveryState.NotRequired => null,
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
        };
        if (outcome is not null)
        {
            _webhookDeliveries.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome));
        }
    }

    /// <summary>
    /// Starts the activity of a job's run by <paramref name="workerId"/> (null when nobody listens); for a run whose
    /// start lies in the past (an external worker's, known when it reports), <paramref name="startedAt"/> says when.
    /// </summary>
    public Activity? StartRun(Job job, string workerId, string runner, DateTimeOffset startedAt = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var activity = ActivitySource.StartActivity("job.run", ActivityKind.Internal, parentContext: default, startTime: startedAt);
        activity?.SetTag("jobgateway.job.id", job.Id)
            .SetTag("jobgateway.job.number", job.Number)
            .SetTag("jobgateway.job.type", job.Type)
            .SetTag("jobgateway.job.attempt", job.Attempts)
            .SetTag("jobgateway.worker.id", workerId)
            .SetTag("jobgateway.worker.runner", runner);
        return activity;
    }

    // The meter belongs to the factory, which disposes it with the host.
    public void Dispose() => ActivitySource.Dispose();

    private void RecordRun(Job job, KeyValuePair<string, object?> type, string outcome)
    {
        if (job.StartedAt is { } started && job.FinishedAt is { } finished)
        {
            _runDuration.Record(Math.Max(0, (finished - started).TotalSeconds), type, new KeyValuePair<string, object?>(OutcomeTag, outcome));
        }
    }
}
