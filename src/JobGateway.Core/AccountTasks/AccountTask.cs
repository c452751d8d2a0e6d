using System.Globalization;
using System.Text.Json;
using JobGateway.Core.Jobs;

namespace JobGateway.Core.AccountTasks;

/// <summary>How often a recurring account task runs.</summary>
public enum TaskFrequency
{
    /// <summary>Once.</summary>
    None = 0,

    /// <summary>Every hour.</summary>
    Hourly = 1,

    /// <summary>Every day.</summary>
    Daily = 2,

    /// <summary>Every week.</summary>
    Weekly = 3,

    /// <summary>Every month.</summary>
    Monthly = 4,
}

/// <summary>Which run outcomes of a task notify the client.</summary>
public enum TaskNotification
{
    /// <summary>Never.</summary>
    None = 0,

    /// <summary>When a run succeeds.</summary>
    OnSuccess = 1,

    /// <summary>When a run fails.</summary>
    OnFailure = 2,

    /// <summary>On every finished run.</summary>
    Always = 3,
}

/// <summary>What a client asks for when it registers or changes an account task (seed 002's AccountTaskRequest).</summary>
/// <param name="TaskId">The client's id of the task.</param>
/// <param name="Frequency">How often it runs.</param>
/// <param name="StartDate">When it starts running.</param>
/// <param name="FinishDate">When it stops running.</param>
/// <param name="Parameters">The parameters, in <paramref name="ContentType"/>.</param>
/// <param name="ContentType"><c>application/json</c> or <c>application/xml</c>.</param>
/// <param name="Notification">Which outcomes notify the client.</param>
/// <param name="Name">An optional name.</param>
public sealed record AccountTaskSpec(
    Guid TaskId,
    TaskFrequency Frequency,
    DateTimeOffset? StartDate,
    DateTimeOffset? FinishDate,
    string Parameters,
    string ContentType,
    TaskNotification Notification,
    string? Name = null);

/// <summary>A recurring task of a client (seed 002). Each run is a job of type <c>account-task</c>.</summary>
public sealed class AccountTask
{
    /// <summary>The job type of a task's runs.</summary>
    public const string JobType = "account-task";

    private AccountTask()
    {
        Parameters = string.Empty;
        ContentType = string.Empty;
    }

    /// <summary>Identifier (<c>ID</c>).</summary>
    public Guid Id { get; private set; }

    /// <summary>The client's id of the task (<c>TaskID</c>), unique per client.</summary>
    public Guid TaskId { get; private set; }

    /// <summary>The owning client (<c>ClientID</c>).</summary>
    public Guid ClientId { get; private set; }

    /// <summary>Display name.</summary>
    public string? Name { get; private set; }

    /// <summary>Only enabled tasks are scheduled.</summary>
    public bool Enabled { get; private set; }

    /// <summary>How often it runs.</summary>
    public TaskFrequency Frequency { get; private set; }

    /// <summary>When it starts running.</summary>
    public DateTimeOffset? StartDate { get; private set; }

    /// <summary>When it stops running.</summary>
    public DateTimeOffset? FinishDate { get; private set; }

    /// <summary>The parameters as sent.</summary>
    public string Parameters { get; private set; }

    /// <summary>The format of <see cref="Parameters"/>.</summary>
    public string ContentType { get; private set; }

    /// <summary>Which outcomes notify the client.</summary>
    public TaskNotification Notification { get; private set; }

    /// <summary>When the task was registered.</summary>
    public DateTimeOffset DateCreated { get; private set; }

    /// <summary>When the task was last changed.</summary>
    public DateTimeOffset DateModified { get; private set; }

    /// <summary>When it last ran.</summary>
    public DateTimeOffset? LastRunOn { get; private set; }

    /// <summary>Who started the last run (<c>scheduler</c> or a client name).</summary>
    public string? LastRunBy { get; private set; }

    /// <summary>Who last changed the task.</summary>
    public string? LastModifiedBy { get; private set; }

    /// <summary>The job of the last run.</summary>
    public Guid? LastJobId { get; private set; }

    /// <summary>Status of the last run; null before the first.</summary>
    public JobStatus? LastRunStatus { get; private set; }

    /// <summary>The scheduled occurrence the scheduler fired last; occurrences at or before it never fire again.</summary>
    public DateTimeOffset? LastOccurrence { get; private set; }

    /// <summary>Optimistic concurrency token.</summary>
    public long Version { get; private set; }

    /// <summary>Registers a task, enabled.</summary>
    public static AccountTask Create(Guid clientId, AccountTaskSpec spec, string createdBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var task = new AccountTask { Id = Guid.CreateVersion7(now), ClientId = clientId, Enabled = true, DateCreated = now };
        task.Apply(spec, createdBy, now);
        return task;
    }

    /// <summary>Replaces what the client controls.</summary>
    public void Update(AccountTaskSpec spec, string modifiedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Apply(spec, modifiedBy, now);
    }

    /// <summary>Enables or disables scheduling.</summary>
    public void SetEnabled(bool enabled, string modifiedBy, DateTimeOffset now)
    {
        Enabled = enabled;
        LastModifiedBy = modifiedBy;
        DateModified = now;
        Version++;
    }

    /// <summary>Records that a run was started as <paramref name="jobId"/>.</summary>
    public void RecordRun(Guid jobId, string runBy, DateTimeOffset now)
    {
        LastJobId = jobId;
        LastRunOn = now;
        LastRunBy = runBy;
        LastRunStatus = JobStatus.Pending;
        Version++;
    }

    /// <summary>
    /// The job of one run: type <c>account-task</c>, <c>ExternalRef</c> = this task's <see cref="Id"/>, and a
    /// payload (<c>taskId</c>, <c>clientTaskId</c>, <c>occurrence</c>, <c>parameters</c>, <c>contentType</c>)
    /// that a worker handles alike for scheduled runs and runs started by hand. A scheduled run carries the
    /// idempotency key <c>account-task:{id}:{occurrence ticks}</c>, so an occurrence fires once even across
    /// instances and restarts; a run started by hand (<paramref name="occurrence"/> null) is always new. Its surface is
    /// the scheduler's, or for a run by hand the task API's (a caller on another surface says so with <c>with</c>).
    /// </summary>
    public NewJob NewRun(DateTimeOffset? occurrence)
    {
        var payload = JsonSerializer.Serialize(new
        {
            taskId = Id,
            clientTaskId = TaskId,
            occurrence,
            parameters = Parameters,
            contentType = ContentType,
        });
        var key = occurrence is { } at ? string.Create(CultureInfo.InvariantCulture, $"account-task:{Id:N}:{at.UtcTicks}") : null;
        return new NewJob(ClientId, JobType, Name, payload, Id.ToString(), key)
        {
            Surface = occurrence is null ? JobSurface.AccountTask : JobSurface.Scheduler,
        };
    }

    /// <summary>The anchor of the schedule: the start date, or when the task was registered.</summary>
    public DateTimeOffset ScheduleAnchor => StartDate ?? DateCreated;

    /// <summary>The occurrence due at <paramref name="now"/> that has not fired yet, if any (enabled tasks only).</summary>
    public DateTimeOffset? DueOccurrence(DateTimeOffset now) =>
        Enabled ? TaskSchedule.DueOccurrence(Frequency, ScheduleAnchor, FinishDate, LastOccurrence, now) : null;

    /// <summary>
    /// When the scheduler fires the task next, as seen at <paramref name="now"/>: the occurrence due now and not yet
    /// fired (it fires at the scheduler's next round), else the first one after <paramref name="now"/>; null when the
    /// task is disabled or its series has ended.
    /// </summary>
    public DateTimeOffset? NextOccurrence(DateTimeOffset now) =>
        !Enabled ? null : DueOccurrence(now) ?? TaskSchedule.NextAfter(Frequency, ScheduleAnchor, FinishDate, now);

    /// <summary>Records that the scheduler fired <paramref name="occurrence"/> as job <paramref name="jobId"/>.</summary>
    public void RecordScheduledRun(Guid jobId, DateTimeOffset occurrence, DateTimeOffset now)
    {
        if (LastOccurrence is { } last && occurrence <= last)
        {
            throw new DomainException("occurrence_fired", $"Occurrence {occurrence:O} of task {Id} has fired already.");
        }

        LastOccurrence = occurrence;
        RecordRun(jobId, "scheduler", now);
    }

    /// <summary>Marks <paramref name="occurrence"/> as fired without a run of its own.</summary>
    public void SkipOccurrence(DateTimeOffset occurrence)
    {
        if (LastOccurrence is null || occurrence > LastOccurrence)
        {
            LastOccurrence = occurrence;
            Version++;
        }
    }

    /// <summary>Records the status of the last run as it progresses.</summary>
    public void RecordRunStatus(Guid jobId, JobStatus status)
    {
        if (LastJobId == jobId)
        {
            LastRunStatus = status;
            Version++;
        }
    }

    private void Apply(AccountTaskSpec spec, string by, DateTimeOffset now)
    {
        if (spec.StartDate is { } start && spec.FinishDate is { } finish && finish <= start)
        {
            throw new DomainException("invalid_dates", "FinishDate must be after StartDate.");
        }

        TaskId = spec.TaskId;
        Name = spec.Name;
        Frequency = spec.Frequency;
        StartDate = spec.StartDate;
        FinishDate = spec.FinishDate;
        Parameters = spec.Parameters;
        ContentType = spec.ContentType;
        Notification = spec.Notification;
        LastModifiedBy = by;
        DateModified = now;
        Version++;
    }
}
