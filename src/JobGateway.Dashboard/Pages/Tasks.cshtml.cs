using JobGateway.Core.AccountTasks;
using JobGateway.Core.Clients;
using JobGateway.Core.Jobs;
using JobGateway.Core.Operations;
using Microsoft.AspNetCore.Mvc;

namespace JobGateway.Dashboard.Pages;

/// <summary>Recurring account tasks: when each runs next, its last run and that run's status; enable, disable, run now.</summary>
public sealed class TasksModel(IOperationsStore store, IAccountTaskStore tasks, AccountTaskRunner runner, IClientStore clients) : DashboardPage
{
    /// <summary>Tasks per page.</summary>
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "offset")]
    public int Offset { get; set; }

    public IReadOnlyList<TaskOverview> Tasks { get; private set; } = [];

    /// <summary>Whether more tasks follow this page.</summary>
    public bool HasMore { get; private set; }

    /// <summary>Every client (for an admin's view).</summary>
    public IReadOnlyList<Client> Clients { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "tasks";
        Offset = Math.Max(0, Offset);
        var page = await store.ListTasksAsync(Operator.Scope, Offset, PageSize + 1, cancellationToken);
        HasMore = page.Count > PageSize;
        Tasks = [.. page.Take(PageSize)];
        if (Operator.IsAdmin)
        {
            Clients = await clients.ListClientsAsync(cancellationToken);
        }
    }

    public string ClientName(Guid clientId) => Clients.FirstOrDefault(c => c.Id == clientId)?.Name ?? clientId.ToString();

    public Task<IActionResult> OnPostEnableAsync(Guid task, Guid client, CancellationToken cancellationToken) =>
        SetEnabledAsync(task, client, enabled: true, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(Guid task, Guid client, CancellationToken cancellationToken) =>
        SetEnabledAsync(task, client, enabled: false, cancellationToken);

    public async Task<IActionResult> OnPostRunAsync(Guid task, Guid client, CancellationToken cancellationToken)
    {
        var run = await runner.RunNowAsync(Owner(client), task, Operator.ClientName, JobSurface.Dashboard, cancellationToken);
        if (run is null)
        {
            return NotFound();
        }

        Notice = run.Task is null
            ? $"The task was deleted meanwhile; its run is job {run.Job.Number}."
            : $"Task {Label(run.Task)} runs now as job {run.Job.Number}.";
        return Redirect(DashboardModule.PathBase + "/tasks");
    }

    /// <summary>A task's name, or its TaskID when it has none.</summary>
    public static string Label(AccountTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return string.IsNullOrWhiteSpace(task.Name) ? task.TaskId.ToString() : task.Name;
    }

    private async Task<IActionResult> SetEnabledAsync(Guid task, Guid client, bool enabled, CancellationToken cancellationToken)
    {
        var changed = await tasks.UpdateAsync(Owner(client), task, t => t.SetEnabled(enabled, Operator.ClientName, Now), cancellationToken);
        if (changed is null)
        {
            return NotFound();
        }

        Notice = $"Task {Label(changed)} is {(enabled ? "enabled" : "disabled")}.";
        return Redirect(DashboardModule.PathBase + "/tasks");
    }

    // The client a task action acts for: an admin names the task's client, a client key acts for its own client only.
    private Guid Owner(Guid client) => Operator.IsAdmin ? client : Operator.ClientId;
}
