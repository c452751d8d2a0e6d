using JobGateway.Core;
using JobGateway.Core.Clients;
using JobGateway.Core.Execution;
using JobGateway.Core.Jobs;
using JobGateway.Core.Notifications;
using JobGateway.Core.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JobGateway.Dashboard.Pages.Jobs;

/// <summary>
/// One job: every field, payload and report, its status history with each webhook delivery, and the actions Core
/// allows it (cancel, retry as a new attempt, delete). Each action goes through the store's concurrency-checked
/// update and the domain method, as the API's do; a job that changed meanwhile is decided on afresh.
/// </summary>
public sealed class DetailModel(IOperationsStore operations, IJobStore jobs, IClientStore clients, IJobSignal signal) : DashboardPage
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    /// <summary>The job, or null when it is not found in the operator's scope.</summary>
    public Job? Job { get; private set; }

    /// <summary>Its status changes and their webhook deliveries, oldest first.</summary>
    public IReadOnlyList<JobEvent> Events { get; private set; } = [];

    /// <summary>What decides the actions offered: the page reloads when the live part shows another.</summary>
    public string ActionsKey => Job is null ? string.Empty : $"{Display.Status(Job.Status)}:{Job.CancellationRequested}";

    /// <summary>The name of the job's client.</summary>
    public string? ClientName { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "jobs";
        await LoadAsync(cancellationToken);
        if (Job is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    /// <summary>The live part (state and history) alone, for the page to refresh itself.</summary>
    public async Task<IActionResult> OnGetLiveAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Job is null ? NotFound() : Partial("_JobLive", this);
    }

    public Task<IActionResult> OnPostCancelAsync(CancellationToken cancellationToken) =>
        ActAsync(async job =>
        {
            var cancelled = false;
            await jobs.UpdateAsync(job.ClientId, job.Id, j => cancelled = j.RequestCancellation(Now), cancellationToken);
            return cancelled ? $"Job {job.Number} was cancelled." : $"Job {job.Number} is running: its worker was asked to stop.";
        });

    public Task<IActionResult> OnPostRetryAsync(CancellationToken cancellationToken) =>
        ActAsync(async job =>
        {
            await jobs.UpdateAsync(job.ClientId, job.Id, j => j.Requeue(Now), cancellationToken);
            signal.Pulse([job.Type]);
            return $"Job {job.Number} was queued again for a new attempt.";
        });

    public Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken) =>
        ActAsync(async job =>
        {
            await jobs.DeleteAsync(job.ClientId, job.Id, cancellationToken);
            return $"Job {job.Number} was deleted.";
        }, deletes: true);

    // Loads the job in scope and runs the action on it; the domain's refusal becomes the page's message.
    private async Task<IActionResult> ActAsync(Func<Job, Task<string>> action, bool deletes = false)
    {
        var job = await operations.FindAsync(Operator.Scope, Id, HttpContext.RequestAborted);
        if (job is null)
        {
            return NotFound();
        }

        try
        {
            Notice = await action(job);
            return Redirect(deletes ? DashboardModule.PathBase + "/jobs" : DashboardModule.PathBase + "/jobs/" + Id);
        }
        catch (DomainException ex)
        {
            Problem = ex.Message;
            return Redirect(DashboardModule.PathBase + "/jobs/" + Id);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Job = await operations.FindAsync(Operator.Scope, Id, cancellationToken);
        if (Job is null)
        {
            return;
        }

        Events = await jobs.ListEventsAsync(Job.ClientId, Job.Id, cancellationToken);
        ClientName = (await clients.GetClientAsync(Job.ClientId, cancellationToken))?.Name;
    }
}
