using System.Security.Claims;
using System.Text.Json;
using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using JobGateway.Core.Jobs;
using JobGateway.Rest.Auth;
using JobGateway.Rest.Http;
using JobGateway.Rest.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobGateway.Rest.AccountTasks;

/// <summary>
/// 2sms-style account tasks (<c>api/v2/admin/tasks/account</c>, seed 002). The path says admin, but a task
/// belongs to the calling client: any key with the <c>client</c> role manages its own client's tasks, and
/// another client's task reads exactly like one that does not exist. Every answer, errors included, is the
/// <c>ResponseOf…</c> envelope in the caller's format.
/// </summary>
public static partial class AccountTasksApi
{
    public const string BasePath = "/api/v2/admin/tasks/account";
    public const string Tag = "Account tasks (2sms)";
    public const string Success = "Success";

    private static readonly string[] RequestTypes = ["application/json", "text/json", "application/xml", "text/xml", "application/x-www-form-urlencoded"];

    public static RouteGroupBuilder MapAccountTasksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags(Tag)
            .RequireAuthorization(GatewayClaims.ClientPolicy)
            .WithMetadata(TwoSmsErrorDialect.OneTask)
            .AddEndpointFilter<EnabledClientFilter>()
            .WithParameterValidation()
            .ProducesTwoSmsErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status500InternalServerError);

        group.MapPost("/", CreateAsync)
            .DescribesBody<AccountTaskRequest>(RequestTypes)
            .ProducesTwoSms<ResponseOfAccountTaskResponse>(StatusCodes.Status201Created)
            .ProducesTwoSmsErrors(
                StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType,
                StatusCodes.Status429TooManyRequests)
            .ProducesLocation(StatusCodes.Status201Created, "The new task: `/api/v2/admin/tasks/account/{ID}`.")
            .LimitsJobCreates(addsJob: false)
            .WithName("CreateAccountTask")
            .WithSummary("Create a task")
            .WithDescription("Creates a new task for the account. Before a new task can be created a client must have been created beforehand. TaskID is unique per client (409 task_exists). Over the client's rate limit or its cap of Pending jobs: 429 (rate_limited, too_many_pending) with Retry-After, nothing stored. The answer is in the format of the Accept header, else of the request.");

        group.MapGet("/", ListAsync)
            .WithMetadata(TwoSmsErrorDialect.TaskList)
            .ProducesTwoSms<ResponseOfArrayOfAccountTaskResponse>(StatusCodes.Status200OK)
            .ProducesTwoSmsErrors<RouteHandlerBuilder, ResponseOfArrayOfAccountTaskResponse>(
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status500InternalServerError)
            .WithName("ListAccountTasks")
            .WithSummary("List tasks")
            .WithDescription("Your tasks, oldest first; offset and limit (1–100, default 100) page them.");

        group.MapGet("/{id}", GetAsync)
            .ProducesTwoSms<ResponseOfAccountTaskResponse>(StatusCodes.Status200OK)
            .ProducesTwoSmsErrors(StatusCodes.Status404NotFound)
            .WithName("GetAccountTask")
            .WithSummary("Get a task")
            .WithDescription("id is the task's ID (not your TaskID).");

        group.MapPut("/{id}", UpdateAsync)
            .DescribesBody<AccountTaskRequest>(RequestTypes)
            .ProducesTwoSms<ResponseOfAccountTaskResponse>(StatusCodes.Status200OK)
            .ProducesTwoSmsErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
            .WithName("UpdateAccountTask")
            .WithSummary("Replace a task")
            .WithDescription("Replaces everything the AccountTaskRequest holds; Enabled and the run history stay.");

        group.MapDelete("/{id}", DeleteAsync)
            .ProducesTwoSms<ResponseOfAccountTaskResponse>(StatusCodes.Status200OK)
            .ProducesTwoSmsErrors(StatusCodes.Status404NotFound)
            .WithName("DeleteAccountTask")
            .WithSummary("Delete a task")
            .WithDescription("Answers with the task as it was. Its past runs stay as jobs.");

        group.MapPost("/run", RunAsync)
            .ProducesTwoSms<ResponseOfAccountTaskResponse>(StatusCodes.Status202Accepted)
            .ProducesTwoSmsErrors(StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests)
            .ProducesLocation(StatusCodes.Status202Accepted, "The run's job, to poll over the native API: `/api/jobs/{jobId}`.")
            .LimitsJobCreates()
            .WithName("RunAccountTask")
            .WithSummary("Run a task now")
            .WithDescription("POST …/run?id={ID}: starts a run at once, as a job of type account-task (Location: /api/jobs/{jobId}), whether or not the task is enabled or due. Over the client's rate limit or its cap of Pending jobs: 429 (rate_limited, too_many_pending) with Retry-After, no run.");

        group.MapPost("/{id}/enable", (string id, ClaimsPrincipal user, IAccountTaskStore tasks, IJobStore jobs, TimeProvider time, CancellationToken ct) =>
                SetEnabledAsync(id, true, user, tasks, jobs, time, ct))
            .ProducesTwoSms<ResponseOfAccountTaskResponse>(StatusCodes.Status200OK)
            .ProducesTwoSmsErrors(StatusCodes.Status404NotFound)
            .WithName("EnableAccountTask")
            .WithSummary("Enable a task")
            .WithDescription("The scheduler runs it again per its Frequency.");

        group.MapPost("/{id}/disable", (string id, ClaimsPrincipal user, IAccountTaskStore tasks, IJobStore jobs, TimeProvider time, CancellationToken ct) =>
                SetEnabledAsync(id, false, user, tasks, jobs, time, ct))
            .ProducesTwoSms<ResponseOfAccountTaskResponse>(StatusCodes.Status200OK)
            .ProducesTwoSmsErrors(StatusCodes.Status404NotFound)
            .WithName("DisableAccountTask")
            .WithSummary("Disable a task")
            .WithDescription("The scheduler stops running it; a run already started goes on. Run now still works.");

        return group;
    }

    private static async Task<IResult> CreateAsync(
        AccountTaskRequest request, ClaimsPrincipal user, IAccountTaskStore tasks, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // A TaskID taken already makes the store throw; the exception handler answers 409 task_exists.
        var task = AccountTask.Create(user.GetClientId(), AccountTaskRequestValidator.ToSpec(request), user.GetClientName(), time.GetUtcNow());
        await tasks.AddAsync(task, cancellationToken);
        var logger = loggers.CreateLogger(typeof(AccountTasksApi));
        LogCreated(logger, task.Id, task.TaskId, task.ClientId);
        return Answer(StatusCodes.Status201Created, user, task, lastRun: null, location: $"{BasePath}/{task.Id}");
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, IAccountTaskStore tasks, IJobStore jobs, CancellationToken cancellationToken)
    {
        var task = Guid.TryParse(id, out var taskId) ? await tasks.GetAsync(user.GetClientId(), taskId, cancellationToken) : null;
        return task is null
            ? NotFound(id)
            : Answer(StatusCodes.Status200OK, user, task, await LastRunStatusAsync(task, jobs, cancellationToken));
    }

    private static async Task<IResult> ListAsync(
        [AsParameters] AccountTaskListQuery query, ClaimsPrincipal user, IAccountTaskStore tasks, IJobStore jobs, CancellationToken cancellationToken)
    {
        var clientId = user.GetClientId();
        var page = await tasks.ListAsync(clientId, query.OffsetValue, query.LimitValue, cancellationToken);

        // The last runs' statuses in one query (a page holds at most 100 tasks, and so at most 100 jobs).
        var lastJobIds = page.Where(t => t.LastJobId is not null).Select(t => t.LastJobId!.Value).ToArray();
        var runs = lastJobIds.Length == 0
            ? []
            : (await jobs.ListAsync(clientId, new JobQuery { Ids = lastJobIds, Limit = JobQuery.MaxPageSize }, cancellationToken)).Items.ToDictionary(j => j.Id, j => j.Status);
        var details = page.Select(t => Detail(t, t.LastJobId is { } jobId && runs.TryGetValue(jobId, out var status) ? status : t.LastRunStatus)).ToArray();
        return new TwoSmsResult(StatusCodes.Status200OK, new ResponseOfArrayOfAccountTaskResponse(
            null, new ResponseDataOfArrayOfAccountTaskResponse(new Identification(user.GetClientName()), Success, details)));
    }

    private static async Task<IResult> UpdateAsync(
        string id, AccountTaskRequest request, ClaimsPrincipal user, IAccountTaskStore tasks, IJobStore jobs, TimeProvider time, CancellationToken cancellationToken)
    {
        var spec = AccountTaskRequestValidator.ToSpec(request);
        var task = Guid.TryParse(id, out var taskId)
            ? await tasks.UpdateAsync(user.GetClientId(), taskId, t => t.Update(spec, user.GetClientName(), time.GetUtcNow()), cancellationToken)
            : null;
        return task is null
            ? NotFound(id)
            : Answer(StatusCodes.Status200OK, user, task, await LastRunStatusAsync(task, jobs, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(string id, ClaimsPrincipal user, IAccountTaskStore tasks, IJobStore jobs, CancellationToken cancellationToken)
    {
        var clientId = user.GetClientId();
        var task = Guid.TryParse(id, out var taskId) ? await tasks.GetAsync(clientId, taskId, cancellationToken) : null;
        if (task is null || !await tasks.DeleteAsync(clientId, task.Id, cancellationToken))
        {
            return NotFound(id);
        }

        return Answer(StatusCodes.Status200OK, user, task, await LastRunStatusAsync(task, jobs, cancellationToken));
    }

    private static async Task<IResult> RunAsync(
        string? id, ClaimsPrincipal user, AccountTaskRunner runner, ILoggerFactory loggers, HttpContext context, CancellationToken cancellationToken)
    {
        var clientId = user.GetClientId();
        var run = Guid.TryParse(id, out var taskId)
            ? await runner.RunNowAsync(clientId, taskId, user.GetClientName(), JobSurface.AccountTask, cancellationToken)
            : null;
        if (run is null)
        {
            return NotFound(id ?? string.Empty);
        }

        // The task vanished after its run was created: the run still happens and is found under /api/jobs; the
        // caller is told the task is gone.
        if (run.Task is null)
        {
            return NotFound(taskId.ToString());
        }

        var logger = loggers.CreateLogger(typeof(AccountTasksApi));
        LogRunStarted(logger, taskId, run.Job.Id, clientId);
        context.Response.Headers.Location = $"/api/jobs/{run.Job.Id}";
        return Answer(StatusCodes.Status202Accepted, user, run.Task, run.Job.Status);
    }

    private static async Task<IResult> SetEnabledAsync(
        string id, bool enabled, ClaimsPrincipal user, IAccountTaskStore tasks, IJobStore jobs, TimeProvider time, CancellationToken cancellationToken)
    {
        var task = Guid.TryParse(id, out var taskId)
            ? await tasks.UpdateAsync(user.GetClientId(), taskId, t => t.SetEnabled(enabled, user.GetClientName(), time.GetUtcNow()), cancellationToken)
            : null;
        return task is null
            ? NotFound(id)
            : Answer(StatusCodes.Status200OK, user, task, await LastRunStatusAsync(task, jobs, cancellationToken));
    }

    // The last run's live status: the job is the truth, the task's copy may lag behind it.
    private static async Task<JobStatus?> LastRunStatusAsync(AccountTask task, IJobStore jobs, CancellationToken cancellationToken) =>
        task.LastJobId is { } jobId && await jobs.GetAsync(task.ClientId, jobId, cancellationToken) is { } job
            ? job.Status
            : task.LastRunStatus;

    private static TwoSmsResult Answer(int status, ClaimsPrincipal user, AccountTask task, JobStatus? lastRun, string? location = null) =>
        new(status, new ResponseOfAccountTaskResponse(null, new ResponseDataOfAccountTaskResponse(
            new Identification(user.GetClientName()), Success, Detail(task, lastRun))), location);

    internal static AccountTaskResponse Detail(AccountTask task, JobStatus? lastRun) => new(
        task.Id,
        task.TaskId,
        task.Name,
        task.Enabled,
        TwoSmsWire.ToName(task.Frequency),
        task.StartDate,
        task.FinishDate,
        task.Parameters,
        task.ContentType,
        TwoSmsWire.ToName(task.Notification),
        task.DateCreated,
        task.DateModified,
        task.LastRunOn,
        task.LastRunBy,
        task.LastModifiedBy,
        TaskStatusWords.Of(task, lastRun),
        task.ClientId);

    private static ErrorResult NotFound(string id) =>
        new GatewayError(StatusCodes.Status404NotFound, "Not Found", $"No task with ID '{id}' was found.", "task_not_found").ToResult();

    [LoggerMessage(Level = LogLevel.Information, Message = "Account task {AccountTaskId} (TaskID {TaskId}) created for client {ClientId}")]
    private static partial void LogCreated(ILogger logger, Guid accountTaskId, Guid taskId, Guid clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account task {AccountTaskId} run now as job {JobId} for client {ClientId}")]
    private static partial void LogRunStarted(ILogger logger, Guid accountTaskId, Guid jobId, Guid clientId);
}

/// <summary>
/// "A client must have been created beforehand": the calling key's client must exist and be enabled now, not
/// only when its key was last cached (another instance may have disabled it moments ago).
/// </summary>
internal sealed class EnabledClientFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var client = await http.RequestServices.GetRequiredService<IClientStore>().GetClientAsync(http.User.GetClientId(), http.RequestAborted);
        if (client is not { Enabled: true })
        {
            return new GatewayError(StatusCodes.Status403Forbidden, "Forbidden",
                "The calling client does not exist or is disabled; a client must be created (and enabled) before it has tasks.", "client_not_found").ToResult();
        }

        return await next(context);
    }
}

/// <summary>Declares 2sms envelopes as responses (for Swagger).</summary>
public static class TwoSmsEndpointExtensions
{
    public static RouteHandlerBuilder ProducesTwoSms<T>(this RouteHandlerBuilder builder, int statusCode) =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(T), TwoSmsFormat.MediaTypes));

    /// <summary>Errors in the envelope of the calls on one task.</summary>
    public static TBuilder ProducesTwoSmsErrors<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder => builder.ProducesTwoSmsErrors<TBuilder, ResponseOfAccountTaskResponse>(statusCodes);

    /// <summary>Errors in the envelope <typeparamref name="TEnvelope"/>.</summary>
    public static TBuilder ProducesTwoSmsErrors<TBuilder, TEnvelope>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(statusCodes);
        foreach (var status in statusCodes)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(TEnvelope), TwoSmsFormat.MediaTypes));
        }

        return builder;
    }
}
