using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Dashboard.Pages;

/// <summary>What every dashboard page knows: who is signed in, the time, and the message an action left.</summary>
public abstract class DashboardPage : PageModel
{
    private DashboardUser? _user;

    /// <summary>The signed-in user.</summary>
    public DashboardUser Operator => _user ??= DashboardUser.From(User);

    /// <summary>Now, on the gateway's clock.</summary>
    public DateTimeOffset Now => HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>What the last action did (shown once, after its redirect).</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Why the last action was refused (shown once, after its redirect).</summary>
    [TempData]
    public string? Problem { get; set; }
}
