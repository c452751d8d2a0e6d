using JobGateway.Core.Clients;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobGateway.Dashboard;

public static class DashboardModule
{
    /// <summary>Where the dashboard lives.</summary>
    public const string PathBase = "/dashboard";

    /// <summary>
    /// The operators' dashboard: Razor Pages under <c>/dashboard</c>, their sign-in cookie (scheme
    /// <see cref="DashboardAuthentication.Scheme"/>) and policy, and their embedded assets. Needs Core's stores,
    /// <see cref="ApiKeyAuthenticator"/> and the worker directory from the host.
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddAuthentication().AddCookie(DashboardAuthentication.Scheme);
        services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>, DashboardAuthentication.ConfigureCookie>();
        services.AddAuthorizationBuilder().AddPolicy(DashboardAuthentication.Policy, p => p
            .AddAuthenticationSchemes(DashboardAuthentication.Scheme)
            .RequireRole(DashboardUser.AdminRole, DashboardUser.ClientRole));
        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/", DashboardAuthentication.Policy);
                o.Conventions.AllowAnonymousToPage("/SignIn");
                o.Conventions.ConfigureFilter(new DashboardResponseHeaders());
            })
            .ConfigureApplicationPartManager(manager =>
            {
                // The host may have found this assembly's pages already; its parts are added once.
                var parts = ApplicationPartFactory.GetApplicationPartFactory(typeof(DashboardModule).Assembly)
                    .GetApplicationParts(typeof(DashboardModule).Assembly);
                foreach (var part in parts)
                {
                    if (!manager.ApplicationParts.Any(p => p.GetType() == part.GetType() && p.Name == part.Name))
                    {
                        manager.ApplicationParts.Add(part);
                    }
                }
            });
        // An action's message survives its redirect in a cookie of the dashboard's path only.
        services.Configure<CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Path = PathBase;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddDataProtection();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, SharedKeyRing>();
        services.AddSingleton<IConfigureOptions<DataProtectionOptions>, SharedKeyRing>();
        services.AddSingleton<DashboardAssets>();
        return services;
    }

    /// <summary>
    /// With <see cref="DashboardOptions.KeyRingPath"/>, the data protection keys live in that directory and every
    /// instance names the application alike (by default each one's name is its content root, which may differ).
    /// </summary>
    private sealed class SharedKeyRing(IOptions<DashboardOptions> dashboard, ILoggerFactory loggers)
        : IConfigureOptions<KeyManagementOptions>, IConfigureOptions<DataProtectionOptions>
    {
        public void Configure(KeyManagementOptions options)
        {
            if (dashboard.Value.KeyRingPath is { Length: > 0 } path)
            {
                options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(path), loggers);
            }
        }

        public void Configure(DataProtectionOptions options)
        {
            if (dashboard.Value.KeyRingPath is { Length: > 0 })
            {
                options.ApplicationDiscriminator = "JobGateway";
            }
        }
    }

    /// <summary>The dashboard's pages and assets, unless <c>Gateway:Dashboard:Enabled</c> is false.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.ServiceProvider.GetRequiredService<IOptions<DashboardOptions>>().Value.Enabled)
        {
            return app;
        }

        app.MapRazorPages();
        app.MapGet(PathBase + "/assets/{name}", (string name, DashboardAssets assets, HttpContext context) => assets.Serve(name, context))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
