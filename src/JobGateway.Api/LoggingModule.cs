using Microsoft.AspNetCore.HttpLogging;
using Serilog;

namespace JobGateway.Api;

internal static class LoggingModule
{
    /// <summary>
    /// Serilog behind Microsoft.Extensions.Logging: sinks and levels come from the <c>Serilog</c> section
    /// (console by default; add the file sink there). Only this project knows about Serilog.
    /// </summary>
    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);

        // ASP.NET's own request logging, one line per request; Authorization and bodies are never logged.
        builder.Services.AddHttpLogging(o =>
        {
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.RequestQuery
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });
        return builder;
    }

    public static IApplicationBuilder UseGatewayRequestLogging(this IApplicationBuilder app) => app.UseHttpLogging();
}
