using JobGateway.Core.Execution;
using JobGateway.Core.Operations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace JobGateway.Dashboard.Pages;

/// <summary>
/// Who works: this instance's in-process slots (an admin's view), the external workers that called the worker API
/// recently, and every running job with its worker and lease (from the store, so across instances).
/// </summary>
public sealed class WorkersModel(IOperationsStore store, WorkerDirectory directory, IOptions<DashboardOptions> options) : DashboardPage
{
    /// <summary>Running jobs listed at most.</summary>
    public const int MaxRunning = 500;

    public IReadOnlyList<InProcessSlot> Slots { get; private set; } = [];

    public IReadOnlyList<ExternalWorkerSighting> External { get; private set; } = [];

    /// <summary>Running jobs, grouped by the worker holding each.</summary>
    public IReadOnlyList<IGrouping<string, RunningJob>> Running { get; private set; } = [];

    public int SeenMinutes => options.Value.WorkersSeenMinutes;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "workers";
        await LoadAsync(cancellationToken);
    }

    /// <summary>The lists alone, for the page to refresh itself.</summary>
    public async Task<IActionResult> OnGetLiveAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Partial("_Workers", this);
    }

    /// <summary>The jobs <paramref name="workerId"/> holds.</summary>
    public IReadOnlyList<RunningJob> Holding(string workerId) =>
        Running.FirstOrDefault(g => g.Key == workerId)?.ToList() ?? [];

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // In-process slots run every client's jobs: only an admin sees them.
        Slots = Operator.IsAdmin ? directory.InProcessSlots : [];
        External = directory.ExternalWorkers(Now.AddMinutes(-SeenMinutes), Operator.Scope);
        var running = await store.ListRunningAsync(Operator.Scope, MaxRunning, cancellationToken);
        Running = [.. running.GroupBy(j => j.LeaseOwner ?? "?")];
    }
}
