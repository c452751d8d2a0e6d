using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace JobGateway.Dashboard.Pages;

/// <summary>Signing out is a POST (with its antiforgery token), so no link can sign an operator out.</summary>
public sealed class SignOutModel : DashboardPage
{
    public IActionResult OnGet() => Redirect(DashboardModule.PathBase);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(DashboardAuthentication.Scheme);
        return Redirect(DashboardModule.PathBase + "/sign-in");
    }
}
