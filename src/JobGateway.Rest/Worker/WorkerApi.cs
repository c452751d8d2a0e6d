using System.Security.Claims;
using JobGateway.Core.Clients;
using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using JobGateway.Core.Telemetry;
using JobGateway.Rest.Auth;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace JobGateway.Rest.Worker;

/// <summary>
/// External workers, in any language, over HTTP: fetch-and-lock jobs of the types they serve, heartbeat to
/// keep the lock, then complete or fail. A call from a worker that no longer holds the lock gets 409 and
/// changes nothing. A worker key of a client serves that client's jobs only; a worker key that also holds
/// the admin role (the operator's) serves every tenant.
/// </summary>
public static class WorkerApi
{
    /// <summary>The request-timeout policy of <c>/fetch</c>: the host's timeout on top of the longest wait, so a long poll is never cut short.</summary>
    public const string LongPollTimeoutPolicy = "long-poll";

    /// <summary>The longest <c>waitSeconds</c> a fetch may ask for.</summary>
    public const int MaxWaitSeconds = 60;

    public static RouteGroupBuilder MapWorkerApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/worker")
            .WithTags("Worker")
            .RequireAuthorization(GatewayClaims.WorkerPolicy)
            .WithParameterValidation()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

        group.MapPost("/fetch", FetchAsync).ProducesProblem(StatusCodes.Status400BadRequest).ReadsJsonBody<FetchRequest>()
            .WithRequestTimeout(LongPollTimeoutPolicy)
            .WithName("FetchJobs")
            .WithSummary("Fetch and lock jobs")
            .WithDescription("Claims up to maxJobs Pending jobs of the given types, waiting up to waitSeconds for one when none is ready. Answers an empty array when the wait ends without a job.");

        // Ids are matched as any text, not with a :guid constraint, so that an id that is not a GUID gets a 404 in
        // problem details instead of routing's empty 404.
        group.MapPost("/jobs/{id}/heartbeat", HeartbeatAsync).ProducesProblem(StatusCodes.Status400BadRequest).ReadsJsonBody<HeartbeatRequest>()
            .WithName("SendHeartbeat")
            .WithSummary("Extend the lock and report progress")
            .WithDescription("cancellationRequested tells the worker to stop and call /cancelled.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/jobs/{id}/complete", CompleteAsync).ProducesProblem(StatusCodes.Status400BadRequest).ReadsJsonBody<CompleteRequest>()
            .WithName("CompleteJob")
            .WithSummary("Complete a job with its report")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/complete", CompleteManyAsync).ProducesProblem(StatusCodes.Status400BadRequest).ReadsJsonBody<CompleteManyRequest>()
            .WithName("CompleteJobs")
            .WithSummary("Complete several jobs in one call")
            .WithDescription("Records the completion of up to 100 jobs the worker holds, committed together. Each job gets its own outcome, in the order sent: its new state, or the error the single-job call would have answered (404 or 409); one refused job does not hold back the others.");
        group.MapPost("/jobs/{id}/fail", FailAsync).ProducesProblem(StatusCodes.Status400BadRequest).ReadsJsonBody<FailRequest>()
            .WithName("FailJob")
            .WithSummary("Fail an attempt")
            .WithDescription("With retry (the default) and attempts left, the job goes back to pending after an exponential back-off; otherwise it fails.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/jobs/{id}/cancelled", CancelledAsync).ProducesProblem(StatusCodes.Status400BadRequest).ReadsJsonBody<CancelledRequest>()
            .WithName("ConfirmJobCancelled")
            .WithSummary("Confirm a requested cancellation")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<FetchedJob[]>, ErrorResult>> FetchAsync(
        FetchRequest request, ClaimsPrincipal user, JobLifecycle lifecycle, IJobTypePolicies policies, IJobSignal signal, WorkerDirectory directory,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var types = request.Types!.Distinct(StringComparer.Ordinal).ToArray();
        directory.SawExternal(request.WorkerId!, Scope(user), "fetch", types, time.GetUtcNow());
        var inProcess = types.FirstOrDefault(t => !policies.RunsExternally(t));
        if (inProcess is not null)
        {
            return new GatewayError(StatusCodes.Status400BadRequest, "Validation Error",
                $"Jobs of type '{inProcess}' run inside the gateway and are not handed to external workers.", "type_runs_in_process").ToResult();
        }

        var lease = TimeSpan.FromSeconds(request.LockSeconds ?? 60);
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(request.WaitSeconds ?? 0);
        var scope = Scope(user);
        while (true)
        {
            // Take the wake-up before looking, so a job created while we look is not slept through.
            var wake = signal.WaitAsync(types, cancellationToken);
            var claimed = await lifecycle.ClaimAsync(request.WorkerId!, types, request.MaxJobs ?? 1, lease, scope, cancellationToken);
            var remaining = deadline - time.GetUtcNow();
            if (claimed.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return TypedResults.Ok(claimed.Select(FetchedJob.From).ToArray());
            }

            await Task.WhenAny(wake, Task.Delay(remaining, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static async Task<Results<Ok<WorkerJobState>, ErrorResult>> HeartbeatAsync(
        string id, HeartbeatRequest request, ClaimsPrincipal user, JobLifecycle lifecycle, WorkerDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        directory.SawExternal(request.WorkerId!, Scope(user), "heartbeat", null, time.GetUtcNow());
        return Answer(id, Guid.TryParse(id, out var jobId)
            ? await lifecycle.HeartbeatAsync(Scope(user), jobId, request.WorkerId!, request.Progress, TimeSpan.FromSeconds(request.LockSeconds ?? 60), cancellationToken)
            : null);
    }

    private static async Task<Results<Ok<WorkerJobState>, ErrorResult>> CompleteAsync(
        string id, CompleteRequest request, ClaimsPrincipal user, JobLifecycle lifecycle, WorkerDirectory directory, GatewayTelemetry telemetry, TimeProvider time,
        CancellationToken cancellationToken)
    {
        directory.SawExternal(request.WorkerId!, Scope(user), "complete", null, time.GetUtcNow());
        var job = Guid.TryParse(id, out var jobId)
            ? await lifecycle.CompleteAsync(Scope(user), jobId, request.WorkerId!, request.Report?.GetRawText(), cancellationToken)
            : null;
        RecordRun(telemetry, job, request.WorkerId!, failed: false);
        return Answer(id, job);
    }

    private static async Task<Ok<CompletionOutcome[]>> CompleteManyAsync(
        CompleteManyRequest request, ClaimsPrincipal user, JobLifecycle lifecycle, WorkerDirectory directory, GatewayTelemetry telemetry, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var workerId = request.WorkerId!;
        directory.SawExternal(workerId, Scope(user), "complete", null, time.GetUtcNow());

        // All queued at once, so the store's update writer commits them in one transaction.
        var outcomes = await Task.WhenAll(request.Jobs!.Select(async completion =>
        {
            var id = completion.Id!.Value;
            try
            {
                var job = await lifecycle.CompleteAsync(Scope(user), id, workerId, completion.Report?.GetRawText(), cancellationToken);
                RecordRun(telemetry, job, workerId, failed: false);
                return job is null
                    ? new CompletionOutcome(id, null, new CompletionError(StatusCodes.Status404NotFound, "job_not_found", $"No job with id {id} was found."))
                    : new CompletionOutcome(id, WorkerJobState.From(job), null);
            }
            catch (Core.DomainException ex)
            {
                return new CompletionOutcome(id, null, new CompletionError(StatusCodes.Status409Conflict, ex.Code, ex.Message));
            }
        }));
        return TypedResults.Ok(outcomes);
    }

    private static async Task<Results<Ok<WorkerJobState>, ErrorResult>> FailAsync(
        string id, FailRequest request, ClaimsPrincipal user, JobLifecycle lifecycle, WorkerDirectory directory, GatewayTelemetry telemetry, TimeProvider time,
        CancellationToken cancellationToken)
    {
        directory.SawExternal(request.WorkerId!, Scope(user), "fail", null, time.GetUtcNow());
        var error = new JobError(request.Error!.Code!, request.Error.Message!, request.Error.Details);
        var job = Guid.TryParse(id, out var jobId)
            ? await lifecycle.FailAsync(Scope(user), jobId, request.WorkerId!, error, request.Retry ?? true, cancellationToken)
            : null;
        RecordRun(telemetry, job, request.WorkerId!, failed: true);
        return Answer(id, job);
    }

    private static async Task<Results<Ok<WorkerJobState>, ErrorResult>> CancelledAsync(
        string id, CancelledRequest request, ClaimsPrincipal user, JobLifecycle lifecycle, WorkerDirectory directory, GatewayTelemetry telemetry, TimeProvider time,
        CancellationToken cancellationToken)
    {
        directory.SawExternal(request.WorkerId!, Scope(user), "cancelled", null, time.GetUtcNow());
        var job = Guid.TryParse(id, out var jobId)
            ? await lifecycle.ConfirmCancelledAsync(Scope(user), jobId, request.WorkerId!, cancellationToken)
            : null;
        RecordRun(telemetry, job, request.WorkerId!, failed: false);
        return Answer(id, job);
    }

    // An external run is known when its worker reports: its activity covers the job from its start to the report.
    private static void RecordRun(GatewayTelemetry telemetry, Job? job, string workerId, bool failed)
    {
        if (job?.StartedAt is not { } started)
        {
            return;
        }

        using var activity = telemetry.StartRun(job, workerId, "external", started);
        if (failed)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, job.ErrorMessage);
        }
    }

    // The operator's worker keys (admin role) serve every tenant; a client's own worker keys only its jobs.
    private static Guid? Scope(ClaimsPrincipal user) =>
        user.IsInRole(GatewayClaims.RoleName(ApiKeyRoles.Admin)) ? null : user.GetClientId();

    private static Results<Ok<WorkerJobState>, ErrorResult> Answer(string id, Job? job) =>
        job is null
            ? new GatewayError(StatusCodes.Status404NotFound, "Not Found", $"No job with id {id} was found.", "job_not_found").ToResult()
            : TypedResults.Ok(WorkerJobState.From(job));
}
