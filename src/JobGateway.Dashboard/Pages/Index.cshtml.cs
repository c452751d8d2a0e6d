using JobGateway.Core.Jobs;
using JobGateway.Core.Operations;
using Microsoft.AspNetCore.Mvc;

namespace JobGateway.Dashboard.Pages;

/// <summary>The overview: jobs by status and type, and what happened minute by minute over the last hour.</summary>
public sealed class IndexModel(IOperationsStore store) : DashboardPage
{
    /// <summary>Minutes the chart shows, the current one included.</summary>
    public const int ChartMinutes = 60;

    /// <summary>The statuses, in the order the page shows them.</summary>
    public static IReadOnlyList<JobStatus> Statuses { get; } = Enum.GetValues<JobStatus>();

    public IReadOnlyList<JobCount> Counts { get; private set; } = [];

    /// <summary>The types with jobs, by name.</summary>
    public IReadOnlyList<string> Types => [.. Counts.Select(c => c.Type).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Jobs in <paramref name="status"/>, of <paramref name="type"/> or of every type.</summary>
    public long CountOf(JobStatus status, string? type = null) =>
        Counts.Where(c => c.Status == status && (type is null || c.Type == type)).Sum(c => c.Count);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ViewData["Section"] = "overview";
        Counts = await store.CountAsync(Operator.Scope, cancellationToken);
    }

    /// <summary>The counts alone, for the page to refresh itself.</summary>
    public async Task<IActionResult> OnGetCountsAsync(CancellationToken cancellationToken)
    {
        Counts = await store.CountAsync(Operator.Scope, cancellationToken);
        return Partial("_Counts", this);
    }

    /// <summary>
    /// The chart's data: created, succeeded and failed jobs per minute for the last <see cref="ChartMinutes"/> minutes,
    /// oldest first, every minute present.
    /// </summary>
    public async Task<IActionResult> OnGetActivityAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var current = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        var since = current.AddMinutes(1 - ChartMinutes);
        var activity = (await store.ActivityAsync(Operator.Scope, since, cancellationToken)).ToDictionary(m => m.Minute);
        var minutes = Enumerable.Range(0, ChartMinutes)
            .Select(i => since.AddMinutes(i))
            .Select(m => activity.TryGetValue(m, out var a) ? a : new MinuteActivity(m, 0, 0, 0))
            .Select(a => new { minute = a.Minute, created = a.Created, succeeded = a.Succeeded, failed = a.Failed });
        return new JsonResult(new { now, minutes });
    }
}
