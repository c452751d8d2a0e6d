using System.Globalization;
using JobGateway.Core.Jobs;
using JobGateway.Rest.Auth;
using JobGateway.Rest.Http;
using JobGateway.Rest.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using System.Security.Claims;

namespace JobGateway.Rest.Jobs;

/// <summary>
/// The native jobs API, the clean surface every vendor dialect maps onto: create answers 202 with the
/// job and where to poll it (the async request-reply pattern), reads are tenant-scoped.
/// </summary>
public static class JobsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 256;

    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs")
            .WithTags("Jobs")
            .RequireAuthorization(GatewayClaims.ClientPolicy)
            .WithParameterValidation()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

        group.MapPost("/", CreateAsync)
            .ReadsJsonBody<CreateJobRequest>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("CreateJob")
            .WithSummary("Create a job")
            .WithDescription("Stores a Pending job and answers 202 with a Location to poll. Send an Idempotency-Key header to make retries safe: the same key with the same body returns the original job, with another body 409. Over the client's rate limit or its cap of Pending jobs the create is refused with 429 (code rate_limited or too_many_pending) and Retry-After, and nothing is stored.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesLocation(StatusCodes.Status202Accepted, "Where to poll the job: `/api/jobs/{id}`.")
            .ProducesHeader(StatusCodes.Status202Accepted, ResponseHeaderMetadataExtensions.RetryAfter, "Seconds to wait before the first poll.", format: "int32")
            .ProducesIdempotentReplayed(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .LimitsJobCreates();

        // Ids are matched as any text, not with a :guid constraint, so that an id that is not a GUID gets this
        // API's 404 problem details instead of routing's empty 404.
        group.MapGet("/{id}", GetAsync)
            .WithName("GetJob")
            .WithSummary("Get a job")
            .ProducesHeader(StatusCodes.Status200OK, ResponseHeaderMetadataExtensions.RetryAfter, "Seconds to wait before polling again; sent while the job is not done.", required: false, format: "int32")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/events", ListEventsAsync)
            .WithName("ListJobEvents")
            .WithSummary("A job's status changes and their webhook deliveries")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", ListAsync)
            .WithName("ListJobs")
            .WithSummary("List jobs")
            .WithDescription("Your jobs, oldest first, filtered by status, type, externalRef and creation time; page with pageSize and the nextPageToken of the previous page.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/{id}/cancel", CancelAsync)
            .WithName("CancelJob")
            .WithSummary("Cancel a job")
            .WithDescription("A Pending job is cancelled at once (200). A Running job is flagged and its worker stops it (202). A finished job cannot be cancelled (409).")
            .ProducesLocation(StatusCodes.Status202Accepted, "Where to poll the job until its worker has stopped it: `/api/jobs/{id}`.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteJob")
            .WithSummary("Delete a job")
            .WithDescription("Removes a job that is not running (409 while it runs: cancel it first).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return group;
    }

    private static async Task<Results<Accepted<JobResponse>, ErrorResult>> CreateAsync(
        CreateJobRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal user,
        IJobStore store,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
        {
            return new GatewayError(StatusCodes.Status400BadRequest, "Bad Request",
                $"The {IdempotencyKeyHeader} header must be 1 to {MaxIdempotencyKeyLength} characters.", "invalid_idempotency_key").ToResult();
        }

        var result = await store.CreateAsync(
            new NewJob(user.GetClientId(), request.Type!, request.Name, request.Payload?.GetRawText(), request.ExternalRef, idempotencyKey)
            {
                Surface = JobSurface.Native,
            },
            cancellationToken);
        if (result.Outcome == CreateOutcome.KeyConflict)
        {
            return new GatewayError(StatusCodes.Status409Conflict, "Conflict",
                $"The {IdempotencyKeyHeader} was already used with a different request.", "idempotency_key_reused").ToResult();
        }

        if (result.Outcome == CreateOutcome.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Accepted($"/api/jobs/{result.Job!.Id}", JobResponse.From(result.Job));
    }

    private static async Task<Results<Ok<JobResponse>, ErrorResult>> GetAsync(string id, ClaimsPrincipal user, IJobStore store, HttpContext context, CancellationToken cancellationToken)
    {
        var job = Guid.TryParse(id, out var jobId) ? await store.GetAsync(user.GetClientId(), jobId, cancellationToken) : null;
        if (job is null)
        {
            return NotFound(id);
        }

        if (!job.IsFinished)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return TypedResults.Ok(JobResponse.From(job));
    }

    private static async Task<Results<Ok<JobEventResponse[]>, ErrorResult>> ListEventsAsync(string id, ClaimsPrincipal user, IJobStore store, CancellationToken cancellationToken)
    {
        var clientId = user.GetClientId();
        if (!Guid.TryParse(id, out var jobId) || await store.GetAsync(clientId, jobId, cancellationToken) is null)
        {
            return NotFound(id);
        }

        return TypedResults.Ok((await store.ListEventsAsync(clientId, jobId, cancellationToken)).Select(JobEventResponse.Of).ToArray());
    }

    private static async Task<Ok<JobListResponse>> ListAsync([AsParameters] JobListQuery query, ClaimsPrincipal user, IJobStore store, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(user.GetClientId(), query.ToQuery(), cancellationToken);
        var next = page.HasMore ? page.Items[^1].Number.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new JobListResponse(page.Items.Select(JobResponse.From).ToArray(), next));
    }

    private static async Task<Results<Ok<JobResponse>, Accepted<JobResponse>, ErrorResult>> CancelAsync(
        string id, ClaimsPrincipal user, IJobStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var cancelled = false;
        var job = Guid.TryParse(id, out var jobId)
            ? await store.UpdateAsync(user.GetClientId(), jobId, j => cancelled = j.RequestCancellation(time.GetUtcNow()), cancellationToken)
            : null;
        if (job is null)
        {
            return NotFound(id);
        }

        return cancelled ? TypedResults.Ok(JobResponse.From(job)) : TypedResults.Accepted($"/api/jobs/{job.Id}", JobResponse.From(job));
    }

    private static async Task<Results<NoContent, ErrorResult>> DeleteAsync(string id, ClaimsPrincipal user, IJobStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var jobId) && await store.DeleteAsync(user.GetClientId(), jobId, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static ErrorResult NotFound(string id) =>
        new GatewayError(StatusCodes.Status404NotFound, "Not Found", $"No job with id {id} was found.", "job_not_found").ToResult();
}
