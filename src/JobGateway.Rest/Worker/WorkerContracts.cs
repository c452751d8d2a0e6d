using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using JobGateway.Core.Jobs;
using JobGateway.Rest.Http;

namespace JobGateway.Rest.Worker;

/// <summary>Fetch-and-lock: claim jobs of some types.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FetchRequest
{
    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<FetchRequest?> BindAsync(Microsoft.AspNetCore.Http.HttpContext context) => BufferedBody.ReadJsonAsync<FetchRequest>(context);

    /// <summary>Your worker's id; every later call about a job must send the same id.</summary>
    /// <example>tax-worker-1</example>
    [Required]
    public string? WorkerId { get; set; }

    /// <summary>Job types this worker serves.</summary>
    [Required]
    public IReadOnlyList<string>? Types { get; set; }

    /// <summary>At most this many jobs (1–100, default 1).</summary>
    public int? MaxJobs { get; set; }

    /// <summary>Lock duration in seconds (5–3600, default 60); extend it with heartbeats.</summary>
    public int? LockSeconds { get; set; }

    /// <summary>Long-poll: wait up to this many seconds for a job when none is ready (0–60, default 0).</summary>
    public int? WaitSeconds { get; set; }
}

/// <summary>A heartbeat: extends the lock and reports progress.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class HeartbeatRequest
{
    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<HeartbeatRequest?> BindAsync(Microsoft.AspNetCore.Http.HttpContext context) => BufferedBody.ReadJsonAsync<HeartbeatRequest>(context);

    [Required]
    public string? WorkerId { get; set; }

    /// <summary>0–100.</summary>
    public int? Progress { get; set; }

    /// <summary>New lock duration from now (5–3600, default 60).</summary>
    public int? LockSeconds { get; set; }
}

/// <summary>Completion with the job's report.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CompleteRequest
{
    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<CompleteRequest?> BindAsync(Microsoft.AspNetCore.Http.HttpContext context) => BufferedBody.ReadJsonAsync<CompleteRequest>(context);

    [Required]
    public string? WorkerId { get; set; }

    /// <summary>Result counters, any JSON; each surface shows what it knows of it.</summary>
    public JsonElement? Report { get; set; }
}

/// <summary>Completions of several jobs in one call, each with its report.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CompleteManyRequest
{
    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<CompleteManyRequest?> BindAsync(Microsoft.AspNetCore.Http.HttpContext context) => BufferedBody.ReadJsonAsync<CompleteManyRequest>(context);

    /// <summary>The worker that holds the locks of all these jobs.</summary>
    [Required]
    public string? WorkerId { get; set; }

    /// <summary>1–100 jobs, each at most once.</summary>
    [Required]
    public IReadOnlyList<JobCompletion>? Jobs { get; set; }
}

/// <summary>One job's completion in a <see cref="CompleteManyRequest"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class JobCompletion
{
    /// <summary>The job's id.</summary>
    [Required]
    public Guid? Id { get; set; }

    /// <summary>Result counters, any JSON.</summary>
    public JsonElement? Report { get; set; }
}

/// <summary>The outcome of one job of a <see cref="CompleteManyRequest"/>: its state, or why it was not completed.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Job">The job after its completion was recorded; absent when it was refused.</param>
/// <param name="Error">Why this job was not completed (the others are not affected); absent when it was.</param>
public sealed record CompletionOutcome(Guid Id, WorkerJobState? Job, CompletionError? Error);

/// <summary>Why one job of a batch was not completed, as the single-job call would have answered.</summary>
/// <param name="Status">The HTTP status the single-job call answers: 404 (no such job) or 409 (lock not held, or the job is not running).</param>
/// <param name="Code">Machine-readable code, as in problem details.</param>
/// <param name="Detail">What happened.</param>
public sealed record CompletionError(int Status, string Code, string Detail);

/// <summary>A failed attempt.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FailRequest
{
    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<FailRequest?> BindAsync(Microsoft.AspNetCore.Http.HttpContext context) => BufferedBody.ReadJsonAsync<FailRequest>(context);

    [Required]
    public string? WorkerId { get; set; }

    /// <summary>What went wrong.</summary>
    [Required]
    public WorkerError? Error { get; set; }

    /// <summary>Whether another attempt may help (default true); the type's retry policy decides whether one is made.</summary>
    public bool? Retry { get; set; }
}

/// <summary>An error reported by a worker.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class WorkerError
{
    /// <example>upstream_timeout</example>
    [Required]
    public string? Code { get; set; }

    /// <example>The tax service did not answer.</example>
    [Required]
    public string? Message { get; set; }

    public string? Details { get; set; }
}

/// <summary>A worker's acknowledgement that it stopped a job whose cancellation was requested.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CancelledRequest
{
    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<CancelledRequest?> BindAsync(Microsoft.AspNetCore.Http.HttpContext context) => BufferedBody.ReadJsonAsync<CancelledRequest>(context);

    [Required]
    public string? WorkerId { get; set; }
}

/// <summary>A job handed to a worker.</summary>
/// <param name="Id">Identifier.</param>
/// <param name="Number">Number.</param>
/// <param name="ClientId">The tenant it belongs to.</param>
/// <param name="Type">Type.</param>
/// <param name="Name">Name.</param>
/// <param name="Payload">Input.</param>
/// <param name="ExternalRef">The client's reference.</param>
/// <param name="Attempts">This attempt's number.</param>
/// <param name="LockExpiresAt">Send a heartbeat before this.</param>
public sealed record FetchedJob(Guid Id, long Number, Guid ClientId, string Type, string? Name, RawJson? Payload, string? ExternalRef, int Attempts, DateTimeOffset? LockExpiresAt)
{
    internal static FetchedJob From(Job job) => new(
        job.Id, job.Number, job.ClientId, job.Type, job.Name, RawJson.From(job.Payload), job.ExternalRef, job.Attempts, job.LeaseExpiresAt);
}

/// <summary>A job's state after a worker call.</summary>
/// <param name="Id">Identifier.</param>
/// <param name="Status">Native status word.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="LockExpiresAt">Current lock expiry, while running.</param>
/// <param name="CancellationRequested">Stop and call <c>/cancelled</c>.</param>
/// <param name="RunAfter">After a retry: not before this.</param>
public sealed record WorkerJobState(Guid Id, string Status, int Attempts, DateTimeOffset? LockExpiresAt, bool CancellationRequested, DateTimeOffset? RunAfter)
{
    internal static WorkerJobState From(Job job) => new(
        job.Id, Jobs.NativeStatus.ToWord(job.Status), job.Attempts, job.LeaseExpiresAt, job.CancellationRequested,
        job.Status == JobStatus.Pending ? job.RunAfter : null);
}

internal static class WorkerRules
{
    public static IRuleBuilderOptions<T, string?> ValidWorkerId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("'workerId' is required.").MaximumLength(200).WithMessage("'workerId' must be at most 200 characters.")
            .Storable("workerId").OverridePropertyName("workerId");
}

public sealed class FetchRequestValidator : AbstractValidator<FetchRequest>
{
    public FetchRequestValidator()
    {
        RuleFor(r => r.WorkerId).ValidWorkerId();
        RuleFor(r => r.Types).NotEmpty().WithMessage("'types' must list at least one job type.")
            .Must(t => t is null || t.All(x => !string.IsNullOrWhiteSpace(x) && x.Length <= 64)).WithMessage("'types' has an empty or too long entry.")
            .Must(t => t is null || t.All(StoredText.IsStorable)).WithMessage("'types' must not contain NUL characters (U+0000).")
            .OverridePropertyName("types");
        RuleFor(r => r.MaxJobs).InclusiveBetween(1, JobQuery.MaxPageSize).WithMessage("'maxJobs' must be between 1 and 100.").OverridePropertyName("maxJobs");
        RuleFor(r => r.LockSeconds).InclusiveBetween(5, 3600).WithMessage("'lockSeconds' must be between 5 and 3600.").OverridePropertyName("lockSeconds");
        RuleFor(r => r.WaitSeconds).InclusiveBetween(0, WorkerApi.MaxWaitSeconds).WithMessage($"'waitSeconds' must be between 0 and {WorkerApi.MaxWaitSeconds}.").OverridePropertyName("waitSeconds");
    }
}

public sealed class HeartbeatRequestValidator : AbstractValidator<HeartbeatRequest>
{
    public HeartbeatRequestValidator()
    {
        RuleFor(r => r.WorkerId).ValidWorkerId();
        RuleFor(r => r.Progress).InclusiveBetween(0, Job.MaxProgress).WithMessage("'progress' must be between 0 and 100.").OverridePropertyName("progress");
        RuleFor(r => r.LockSeconds).InclusiveBetween(5, 3600).WithMessage("'lockSeconds' must be between 5 and 3600.").OverridePropertyName("lockSeconds");
    }
}

public sealed class CompleteRequestValidator : AbstractValidator<CompleteRequest>
{
    public CompleteRequestValidator() => RuleFor(r => r.WorkerId).ValidWorkerId();
}

public sealed class CompleteManyRequestValidator : AbstractValidator<CompleteManyRequest>
{
    public CompleteManyRequestValidator()
    {
        RuleFor(r => r.WorkerId).ValidWorkerId();
        RuleFor(r => r.Jobs).NotEmpty().WithMessage("'jobs' must list at least one job.")
            .Must(j => j is null || j.Count <= JobQuery.MaxPageSize).WithMessage("'jobs' must list at most 100 jobs.")
            .Must(j => j is null || j.All(c => c?.Id is not null)).WithMessage("Every entry of 'jobs' needs an 'id'.")
            .Must(j => j is null || j.Where(c => c?.Id is not null).Select(c => c!.Id).Distinct().Count() == j.Count(c => c?.Id is not null))
            .WithMessage("'jobs' names a job more than once.")
            .OverridePropertyName("jobs");
    }
}

public sealed class CancelledRequestValidator : AbstractValidator<CancelledRequest>
{
    public CancelledRequestValidator() => RuleFor(r => r.WorkerId).ValidWorkerId();
}

public sealed class FailRequestValidator : AbstractValidator<FailRequest>
{
    public FailRequestValidator()
    {
        RuleFor(r => r.WorkerId).ValidWorkerId();
        RuleFor(r => r.Error).NotNull().WithMessage("'error' is required.").OverridePropertyName("error");
        RuleFor(r => r.Error!.Code).NotEmpty().WithMessage("'error.code' is required.").MaximumLength(100).WithMessage("'error.code' must be at most 100 characters.")
            .Storable("error.code").OverridePropertyName("error.code").When(r => r.Error is not null);
        RuleFor(r => r.Error!.Message).NotEmpty().WithMessage("'error.message' is required.").MaximumLength(4000).WithMessage("'error.message' must be at most 4000 characters.")
            .Storable("error.message").OverridePropertyName("error.message").When(r => r.Error is not null);
    }
}
