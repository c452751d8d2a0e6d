using JobGateway.Core.Clients;
using JobGateway.Rest.Auth;
using Serilog;
using Serilog.Events;

namespace JobGateway.Api;

/// <summary>Serilog for the host and its requests; only this project knows about Serilog.</summary>
internal static class LoggingModule
{
    /// <summary>
    /// The logger the process has before the host is built: a start-up failure is logged through it too.
    /// </summary>
    public static void CreateBootstrapLogger() =>
        Log.Logger = new LoggerConfiguration()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateBootstrapLogger();

    /// <summary>
    /// The host's logging through Serilog (Serilog.AspNetCore): sinks and levels come from the <c>Serilog</c>
    /// section (console by default; add the file sink there). The static bootstrap logger is left alone for the
    /// start-up failure path, so that hosts built side by side in one process (the tests) each get their own.
    /// </summary>
    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog(
            (services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Filter.ByExcluding(IsHostStartFailure),
            preserveStaticLogger: true);
        return builder;
    }

    // The host logs a failed start with its exception, stack trace included; Program logs the same failure once, as a
    // line saying what to do when the operator can fix it (StartupFailure), so the host's own event is left out.
    private static bool IsHostStartFailure(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" }
        && logEvent.Properties.TryGetValue("EventId", out var eventId) && eventId is StructureValue structure
        && structure.Properties.Any(p => p is { Name: "Name", Value: ScalarValue { Value: "HostedServiceStartupFaulted" } });

    /// <summary>
    /// One line per request: method, path, status, elapsed milliseconds and the calling client when known (an API
    /// key's client, over REST or in a SOAP message). Never a header or a body.
    /// </summary>
    public static IApplicationBuilder UseGatewayRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // The host's logger: the static one is the bootstrap logger, kept for start-up failures.
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms (client {ClientId})";
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError
                    ? LogEventLevel.Error
                    : LogEventLevel.Information;
            options.EnrichDiagnosticContext = (diagnostics, context) =>
                diagnostics.Set("ClientId", ClientOf(context)?.ToString() ?? "-");
        });

    private static Guid? ClientOf(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
            ? context.User.GetClientId()
            : (context.Items[typeof(Credential)] as Credential)?.ClientId;
}
