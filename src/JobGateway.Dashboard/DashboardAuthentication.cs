using System.Globalization;
using JobGateway.Core.Clients;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobGateway.Dashboard;

/// <summary>
/// The dashboard's sign-in: an API key, checked by the same authenticator as the API's bearer keys, turned into a
/// cookie that holds the client and the key's id (never the key). The cookie is checked against the client store
/// again every <see cref="CredentialCache.CacheFor"/>, as a cached bearer key is: a revoked key or a disabled client
/// ends the session.
/// </summary>
public static class DashboardAuthentication
{
    /// <summary>The cookie scheme.</summary>
    public const string Scheme = "Dashboard";

    /// <summary>The policy every page but the sign-in page requires.</summary>
    public const string Policy = "dashboard";

    /// <summary>A request header the dashboard's own scripts send: such a request is answered 401, not redirected.</summary>
    public const string FragmentHeader = "X-Dashboard-Fragment";

    private const string CheckedAt = "jg:checked";

    /// <summary>Signs the user in.</summary>
    public static Task SignInAsync(HttpContext context, DashboardUser user)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var properties = new AuthenticationProperties { IsPersistent = false };
        properties.Items[CheckedAt] = Now(context).ToString("O", CultureInfo.InvariantCulture);
        return context.SignInAsync(Scheme, user.ToPrincipal(Scheme), properties);
    }

    internal sealed class ConfigureCookie(IOptions<DashboardOptions> dashboard) : IConfigureNamedOptions<CookieAuthenticationOptions>
    {
        public void Configure(string? name, CookieAuthenticationOptions options)
        {
            if (name == Scheme)
            {
                Configure(options);
            }
        }

        public void Configure(CookieAuthenticationOptions options)
        {
            options.Cookie.Name = "jobgateway.dashboard";
            options.Cookie.Path = DashboardModule.PathBase;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = DashboardModule.PathBase + "/sign-in";
            options.LogoutPath = DashboardModule.PathBase + "/sign-out";
            options.AccessDeniedPath = DashboardModule.PathBase + "/sign-in";
            options.ExpireTimeSpan = TimeSpan.FromMinutes(dashboard.Value.SessionMinutes);
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = ValidateAsync;
            options.Events.OnRedirectToLogin = context => RedirectUnlessFragment(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => RedirectUnlessFragment(context, StatusCodes.Status403Forbidden);
        }
    }

    // The scripts' fragment requests get a status they can act on (they reload the page, which then redirects). The
    // redirect is relative: the absolute one the handler builds names the host the request's Host header claims.
    private static Task RedirectUnlessFragment(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Headers.ContainsKey(FragmentHeader))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            var target = Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri;
            context.Response.Redirect(target);
        }

        return Task.CompletedTask;
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var now = Now(context.HttpContext);
        if (context.Properties.Items.TryGetValue(CheckedAt, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var checkedAt)
            && now - checkedAt < CredentialCache.CacheFor && now >= checkedAt)
        {
            return;
        }

        var user = DashboardUser.From(context.Principal!);
        var clients = context.HttpContext.RequestServices.GetRequiredService<IClientStore>();
        var cancellation = context.HttpContext.RequestAborted;
        var client = await clients.GetClientAsync(user.ClientId, cancellation);
        var valid = client is { Enabled: true }
            && (await clients.ListKeysAsync(user.ClientId, cancellation)).Any(k => k.Id == user.KeyId && !k.IsRevoked);
        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        context.Properties.Items[CheckedAt] = now.ToString("O", CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }

    private static DateTimeOffset Now(HttpContext context) => context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
}
