using JobGateway.Core.Clients;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobGateway.Dashboard.Pages;

/// <summary>Sign-in with an API key, checked as the API checks bearer keys.</summary>
public sealed class SignInModel(ApiKeyAuthenticator authenticator) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Why the key was refused.</summary>
    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(string? key, CancellationToken cancellationToken)
    {
        var credential = await authenticator.AuthenticateAsync(key, cancellationToken);
        if (credential is null)
        {
            // Unknown, revoked and disabled keys alike: which one it was is not the caller's to learn.
            Error = "That key is not valid.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        if (DashboardUser.For(credential) is not { } user)
        {
            Error = "That key has neither the admin nor the client role; worker keys cannot sign in.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        await DashboardAuthentication.SignInAsync(HttpContext, user);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl.StartsWith(DashboardModule.PathBase, StringComparison.OrdinalIgnoreCase)
            ? ReturnUrl
            : DashboardModule.PathBase);
    }
}
