using System.Net;
using System.Text;
using JobGateway.Dashboard;
using Microsoft.Extensions.Options;

namespace JobGateway.Api;

/// <summary>
/// Where a newcomer starts: <c>GET /</c> answers a small HTML page listing the surfaces with links (no key needed;
/// it names paths only), and the start-up log says in one line where the gateway listens and where Swagger UI and
/// the dashboard are.
/// </summary>
internal static partial class LandingPageModule
{
    // The page has no script; its one style block is inline.
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static WebApplication MapLandingPage(this WebApplication app)
    {
        var dashboard = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.Enabled ? DashboardModule.PathBase : null;
        var metrics = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.MetricsPath;
        var page = Page(dashboard, string.IsNullOrEmpty(metrics) ? null : metrics);
        app.MapGet("/", (HttpContext context) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                return TypedResults.Content(page, "text/html; charset=utf-8");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("JobGateway.Api.Startup");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // The addresses the server bound (a test server has none); a wildcard host is shown as localhost.
            var url = app.Urls.Select(Browsable).FirstOrDefault();
            if (url is not null && logger.IsEnabled(LogLevel.Information))
            {
                var urls = string.Join(", ", app.Urls);
                var swagger = $"{url}/swagger";
                var home = $"{url}/";
                var dashboardUrl = dashboard is null ? "(disabled)" : url + dashboard;
                LogListening(logger, urls, home, swagger, dashboardUrl);
            }
        });
        return app;
    }

    private static string Browsable(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var bound))
        {
            return address.TrimEnd('/');
        }

        var uri = new UriBuilder(bound);
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }

    // Links are relative, so the page works behind a reverse proxy that serves the gateway under a path.
    private static string Page(string? dashboard, string? metrics)
    {
        var rows = new List<(string Href, string Name, string What)>
        {
            ("swagger", "Swagger UI", "every REST endpoint, tried out in the browser (press <em>Authorize</em> and paste an API key)"),
            ("swagger/v1/swagger.json", "OpenAPI document", "the REST contract clients generate from"),
        };
        if (dashboard is not null)
        {
            rows.Add((dashboard.TrimStart('/'), "Dashboard", "jobs, workers and recurring tasks; sign in with an API key"));
        }

        rows.Add(("soap/t2a.asmx", "T2A <code>job_create</code>", "SOAP 1.1 and 1.2, HTTP GET and POST; <code>?wsdl</code> for the WSDL"));
        rows.Add(("1.0/customerapi.asmx", "DiscountASP <code>GetJobStatus</code>", "SOAP 1.1 and 1.2; <code>?wsdl</code> for the WSDL"));
        rows.Add(("mmapi.asmx", "MagnetMail <code>getUploadJobStatus</code>", "SOAP 1.1 and 1.2 with the <code>mmAuthHeader</code> header; <code>?wsdl</code> for the WSDL"));
        rows.Add(("health/ready", "Readiness", "200 when the gateway and its database answer (<code>health/live</code>: the process alone)"));
        if (metrics is not null)
        {
            rows.Add((metrics.TrimStart('/'), "Metrics", "Prometheus text; from the configured networks, else with an admin key"));
        }

        var html = new StringBuilder("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>JobGateway</title>
            <style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}td{padding:.3rem .8rem .3rem 0;vertical-align:top}</style>
            </head>
            <body>
            <h1>JobGateway</h1>
            <p>One job store for old and new clients: SOAP (ASMX) and JSON REST surfaces over the same asynchronous jobs.
            Every call except this page, the health checks and Swagger UI needs an API key: <code>Authorization: Bearer &lt;key&gt;</code>.</p>
            <table>

            """);
        foreach (var (href, name, what) in rows)
        {
            html.Append("<tr><td><a href=\"").Append(WebUtility.HtmlEncode(href)).Append("\">").Append(name).Append("</a></td><td>")
                .Append(what).Append("</td></tr>\n");
        }

        html.Append("""
            </table>
            <p>REST surfaces: the native jobs API <code>/api/jobs</code>, the worker API <code>/api/worker</code>, the admin API
            <code>/api/admin/clients</code>, Elastic Path subscription jobs <code>/v2/subscriptions/jobs</code> and 2sms account tasks
            <code>/api/v2/admin/tasks/account</code>; Swagger UI documents each.</p>
            </body>
            </html>

            """);
        return html.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {Urls}: start at {Home} (the surfaces), Swagger UI at {Swagger}, the dashboard at {Dashboard}")]
    private static partial void LogListening(ILogger logger, string urls, string home, string swagger, string dashboard);
}
