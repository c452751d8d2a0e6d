using System.ComponentModel.DataAnnotations;

namespace JobGateway.Execution;

/// <summary>How jobs run (<c>Gateway:Execution</c>).</summary>
public sealed class ExecutionOptions
{
    public const string Section = "Gateway:Execution";

    /// <summary>
    /// Whether this instance runs the background loops (in-process workers, lease sweeper, scheduler,
    /// webhook dispatcher). Turn off on instances that should only serve requests.
    /// </summary>
    public bool RunBackgroundServices { get; set; } = true;

    /// <summary>Concurrent in-process jobs.</summary>
    [Range(0, 256)]
    public int Slots { get; set; } = 4;

    /// <summary>
    /// How many claimed jobs wait in the local queue for a free slot (claimed together, in one claim). Each holds a
    /// lease meanwhile; a slot renews it before starting the job when half of it has passed.
    /// </summary>
    [Range(1, 10_000)]
    public int LocalQueue { get; set; } = 64;

    /// <summary>Lease of an in-process job; renewed at a third of it while the handler runs.</summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How long an idle worker sleeps when no signal wakes it (a safety net; new jobs wake it at once).</summary>
    [Range(1, 3600)]
    public int IdlePollSeconds { get; set; } = 5;

    /// <summary>How often expired leases are looked for.</summary>
    [Range(1, 3600)]
    public int LeaseSweepSeconds { get; set; } = 5;

    /// <summary>How often recurring account tasks are checked.</summary>
    [Range(1, 3600)]
    public int SchedulerSeconds { get; set; } = 15;

    /// <summary>How often the webhook outbox is looked at.</summary>
    [Range(1, 3600)]
    public int WebhookPollSeconds { get; set; } = 1;

    /// <summary>Retry policy for types without their own.</summary>
    [Range(1, 100)]
    public int DefaultMaxAttempts { get; set; } = 3;

    /// <summary>Wait after the first failed attempt, doubled after each further one.</summary>
    [Range(0, 86400)]
    public double DefaultRetryBaseSeconds { get; set; } = 2;

    /// <summary>Longest wait between attempts.</summary>
    [Range(0, 86400)]
    public double DefaultRetryMaxSeconds { get; set; } = 600;

    /// <summary>Per job type: how it runs and retries.</summary>
    public Dictionary<string, JobTypeOptions> Types { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Webhook delivery.</summary>
    public WebhookOptions Webhooks { get; set; } = new();
}

/// <summary>Where a job type runs.</summary>
public enum JobRunner
{
    /// <summary>In-process if a handler is registered for the type, else external.</summary>
    Auto,

    /// <summary>By an <c>IJobHandler</c> inside the gateway.</summary>
    InProcess,

    /// <summary>By external workers over the worker API.</summary>
    External,
}

/// <summary>One job type's settings.</summary>
public sealed class JobTypeOptions
{
    public JobRunner Runner { get; set; } = JobRunner.Auto;

    [Range(1, 100)]
    public int? MaxAttempts { get; set; }

    [Range(0, 86400)]
    public double? RetryBaseSeconds { get; set; }

    [Range(0, 86400)]
    public double? RetryMaxSeconds { get; set; }
}

/// <summary>Webhook delivery settings.</summary>
public sealed class WebhookOptions
{
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    [Range(0, 86400)]
    public double RetryBaseSeconds { get; set; } = 5;
}
