using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using JobGateway.Core.Jobs;
using JobGateway.Rest.Auth;
using JobGateway.Rest.Http;
using JobGateway.Rest.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace JobGateway.Rest.ElasticPath;

/// <summary>
/// Elastic Path's subscription jobs (<c>/v2/subscriptions/jobs</c>, seed 004) on the shared job store: an EP job
/// is a job whose type is its <c>job_type</c>, whose external reference is its <c>external_ref</c> and whose
/// payload is <c>{"taxes":[…]}</c>. Jobs of other types (created over SOAP or the native API) are not
/// subscription jobs and are not found here.
/// </summary>
public static class ElasticPathJobsApi
{
    public const string BasePath = "/v2/subscriptions/jobs";
    public const string Tag = "Elastic Path subscription jobs";
    public const int DefaultPageLimit = 25;
    public const string FilterParseTitle = "Could not parse the supplied filter";
    private const int MaxIdempotencyKeyLength = 256;
    public const string Owner = "store";

    public static RouteGroupBuilder MapElasticPathJobs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags(Tag)
            .RequireAuthorization(GatewayClaims.ClientPolicy)
            .WithMetadata(ElasticPathErrorDialect.Instance)
            .WithParameterValidation()
            .ProducesElasticPathErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status500InternalServerError);

        group.MapPost("/", CreateAsync)
            .DescribesBody<SubscriptionJobCreateRequest>("application/json", ElasticPathBody.JsonApiMediaType)
            .WithName("CreateSubscriptionJob")
            .WithSummary("Create a job")
            .WithDescription("Stores a pending subscription job of job_type billing-run, tax-run or payment-run. Send an Idempotency-Key header to make retries safe: the same key with the same body returns the original job (Idempotent-Replayed: true), with another body 409. Over the client's rate limit or its cap of pending jobs: 429 with Retry-After, nothing stored.")
            .ProducesElasticPathErrors(
                StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType,
                StatusCodes.Status429TooManyRequests)
            .ProducesLocation(StatusCodes.Status201Created, "The new job: `/v2/subscriptions/jobs/{id}`.")
            .ProducesIdempotentReplayed(StatusCodes.Status201Created)
            .LimitsJobCreates();

        group.MapGet("/{id}", GetAsync)
            .WithName("GetSubscriptionJob")
            .WithSummary("Get a job")
            .ProducesElasticPathErrors(StatusCodes.Status404NotFound);

        group.MapGet("/", ListAsync)
            .WithName("ListSubscriptionJobs")
            .WithSummary("Get all jobs")
            .WithDescription("Your subscription jobs, oldest first. page[offset] (0-based) and page[limit] (1–100, default 25) page them; filter narrows them: eq(external_ref,abc), in(status,pending,started), like(external_ref,inv-*), gt(created_at,2026-01-01T00:00:00Z), clauses joined by ':'. Fields: external_ref (eq, in, like), job_type (eq, in), status (eq, in), created_at (eq, gt, ge, lt, le).")
            .ProducesElasticPathErrors(StatusCodes.Status400BadRequest);

        group.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteSubscriptionJob")
            .WithSummary("Delete a job")
            .WithDescription("Deletes a job that is not started (409 Write Conflict while it runs).")
            .ProducesElasticPathErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        return group;
    }

    private static async Task<Results<Created<SubscriptionJobResponse>, ErrorResult>> CreateAsync(
        SubscriptionJobCreateRequest request,
        [FromHeader(Name = Jobs.JobsApi.IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal user,
        IJobStore store,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
        {
            return new GatewayError(StatusCodes.Status400BadRequest, "Bad Request",
                $"The {Jobs.JobsApi.IdempotencyKeyHeader} header must be 1 to {MaxIdempotencyKeyLength} characters.", "invalid_idempotency_key").ToResult();
        }

        var attributes = request.Data!.Attributes!;
        var result = await store.CreateAsync(
            new NewJob(user.GetClientId(), attributes.JobType!, Payload: Payload(attributes), ExternalRef: attributes.ExternalRef, IdempotencyKey: idempotencyKey)
            {
                Surface = JobSurface.ElasticPath,
            },
            cancellationToken);
        if (result.Outcome == CreateOutcome.KeyConflict)
        {
            return new GatewayError(StatusCodes.Status409Conflict, ElasticPathErrorDialect.WriteConflictTitle,
                $"The {Jobs.JobsApi.IdempotencyKeyHeader} was already used with a different request.", "idempotency_key_reused").ToResult();
        }

        if (result.Outcome == CreateOutcome.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        var job = result.Job!;
        return TypedResults.Created($"{BasePath}/{job.Id}", new SubscriptionJobResponse(ToResource(job)));
    }

    private static async Task<Results<Ok<SubscriptionJobResponse>, ErrorResult>> GetAsync(string id, ClaimsPrincipal user, IJobStore store, CancellationToken cancellationToken) =>
        await FindAsync(id, user, store, cancellationToken) is { } job
            ? TypedResults.Ok(new SubscriptionJobResponse(ToResource(job)))
            : NotFound(id);

    private static async Task<Results<Ok<SubscriptionJobListResponse>, ErrorResult>> ListAsync(
        [AsParameters] SubscriptionJobListQuery query, ClaimsPrincipal user, IJobStore store, CancellationToken cancellationToken)
    {
        var offset = query.OffsetValue;
        var limit = query.LimitValue;
        var baseQuery = new JobQuery { Types = ElasticPathJobTypes.All, Offset = offset, Limit = limit, IncludeTotal = true };
        if (!ElasticPathFilter.TryApply(query.Filter, baseQuery, out var filtered, out var matchesNothing, out var error))
        {
            return new GatewayError(StatusCodes.Status400BadRequest, FilterParseTitle, error, "invalid_filter").ToResult();
        }

        var page = matchesNothing
            ? new JobPage([], 0, false)
            : await store.ListAsync(user.GetClientId(), filtered, cancellationToken);
        var total = page.Total ?? 0;
        return TypedResults.Ok(new SubscriptionJobListResponse(
            page.Items.Select(ToResource).ToArray(),
            Links(query.Filter, offset, limit, total),
            new ListMeta(new PageMeta(limit, offset, (offset / limit) + 1, Pages(total, limit)), new ResultsMeta(total))));
    }

    private static async Task<Results<NoContent, ErrorResult>> DeleteAsync(string id, ClaimsPrincipal user, IJobStore store, CancellationToken cancellationToken)
    {
        // Looked up first so that jobs of other surfaces' types stay invisible here; a running job makes the
        // store throw, which the exception handler answers with 409 Write Conflict.
        if (await FindAsync(id, user, store, cancellationToken) is not { } job)
        {
            return NotFound(id);
        }

        return await store.DeleteAsync(user.GetClientId(), job.Id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);
    }

    private static async Task<Job?> FindAsync(string id, ClaimsPrincipal user, IJobStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var jobId) && await store.GetAsync(user.GetClientId(), jobId, cancellationToken) is { } job && ElasticPathJobTypes.IsKnown(job.Type)
            ? job
            : null;

    internal static SubscriptionJob ToResource(Job job) => new(
        job.Id,
        SubscriptionJob.ResourceType,
        new SubscriptionJobAttributes(job.ExternalRef, job.Type, Taxes(job.Payload), ElasticPathStatus.ToWord(job.Status), job.UpdatedAt, job.CreatedAt),
        new SubscriptionJobMeta(
            Owner,
            new SubscriptionJobTimestamps(job.UpdatedAt, job.CreatedAt, job.StartedAt, job.FinishedAt),
            ElasticPathReport.For(job.Type, job.Report)));

    // Stored normalised (re-serialised from the validated model), so an idempotent retry that differs only in
    // whitespace or member order is recognised as the same request.
    private static string? Payload(SubscriptionJobCreateAttributes attributes) =>
        attributes.Taxes is null ? null : JsonSerializer.Serialize(new JobPayload(attributes.Taxes));

    private static JsonElement? Taxes(string? payload)
    {
        if (payload is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("taxes", out var taxes)
                ? taxes.Clone()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static PageLinks Links(string? filter, int offset, int limit, int total)
    {
        var lastOffset = Math.Max(0, (Pages(total, limit) - 1) * limit);
        return new PageLinks(
            Link(filter, offset, limit),
            Link(filter, 0, limit),
            Link(filter, lastOffset, limit),
            offset > 0 ? Link(filter, Math.Max(0, offset - limit), limit) : null,
            (long)offset + limit < total ? Link(filter, offset + limit, limit) : null);
    }

    private static string Link(string? filter, int offset, int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{BasePath}?page[offset]={offset}&page[limit]={limit}")
        + (string.IsNullOrEmpty(filter) ? string.Empty : "&filter=" + Uri.EscapeDataString(filter));

    private static int Pages(int total, int limit) => Math.Max(1, (total + limit - 1) / limit);

    private static ErrorResult NotFound(string id) =>
        new GatewayError(StatusCodes.Status404NotFound, "Not Found", $"No subscription job with id {id} was found.", "job_not_found").ToResult();

    private sealed record JobPayload([property: JsonPropertyName("taxes")] IReadOnlyList<TaxesForInvoice> Taxes);
}

/// <summary>Query of <c>GET /v2/subscriptions/jobs</c>, as sent.</summary>
public sealed class SubscriptionJobListQuery
{
    /// <summary>0-based index of the first job (default 0).</summary>
    [FromQuery(Name = "page[offset]")]
    public string? Offset { get; set; }

    /// <summary>Jobs per page, 1 to 100 (default 25).</summary>
    [FromQuery(Name = "page[limit]")]
    public string? Limit { get; set; }

    /// <summary>Elastic Path filter, e.g. <c>eq(external_ref,abc123):in(status,pending,started)</c>.</summary>
    [FromQuery(Name = "filter")]
    public string? Filter { get; set; }

    internal int OffsetValue => string.IsNullOrEmpty(Offset) ? 0 : int.Parse(Offset, NumberStyles.None, CultureInfo.InvariantCulture);

    internal int LimitValue => string.IsNullOrEmpty(Limit) ? ElasticPathJobsApi.DefaultPageLimit : int.Parse(Limit, NumberStyles.None, CultureInfo.InvariantCulture);
}

public sealed class SubscriptionJobListQueryValidator : AbstractValidator<SubscriptionJobListQuery>
{
    public SubscriptionJobListQueryValidator()
    {
        RuleFor(q => q.Offset)
            .Must(o => string.IsNullOrEmpty(o) || int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OverridePropertyName("page[offset]")
            .WithMessage("page[offset]: \"offset\" must be an integer of at least 0");
        RuleFor(q => q.Limit)
            .Must(l => string.IsNullOrEmpty(l) || (int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= JobQuery.MaxPageSize))
            .OverridePropertyName("page[limit]")
            .WithMessage($"page[limit]: \"limit\" must be an integer from 1 to {JobQuery.MaxPageSize}");
    }
}

/// <summary>Declares Elastic Path error documents as responses (for Swagger).</summary>
public static class ElasticPathEndpointExtensions
{
    public static TBuilder ProducesElasticPathErrors<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(statusCodes);
        foreach (var status in statusCodes)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ElasticPathErrorDocument), ["application/json"]));
        }

        return builder;
    }
}
