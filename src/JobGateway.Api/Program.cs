using JobGateway.Api;
using JobGateway.Dashboard;
using JobGateway.Execution;
using JobGateway.Persistence;
using JobGateway.Rest;
using JobGateway.Soap;
using Serilog;

LoggingModule.CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddGatewayLogging();
    builder.Services.AddGatewayOptions();
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddPersistence();
    builder.Services.AddExecution();
    builder.Services.AddRest();
    builder.Services.AddSoap(builder.Configuration);
    builder.Services.AddDashboard();
    builder.Services.AddGatewaySwagger();
    builder.Services.AddGatewayHealthChecks();
    builder.Services.AddGatewayRequestTimeouts();
    builder.AddGatewayTelemetry();

    var app = builder.Build();

    // The request line is written outside the exception handler, so it records the answer the client got.
    app.UseGatewayRequestLogging();
    app.UseExceptionHandler();
    app.UseRouting();
    app.UseRequestTimeouts();
    app.UseRequestBodyLimit(app.GetGatewayOptions().MaxRequestBodyBytes);
    app.UseGatewayAuthentication();
    app.UseAuthorization();
    app.UseRateLimiter();

    app.MapGatewaySwagger();
    app.MapGatewayHealthChecks();
    app.MapGatewayMetrics();
    app.MapRest();
    app.MapSoap();
    app.MapDashboard();
    app.MapLandingPage();

    app.Run();
    return 0;
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    if (StartupFailure.Describe(exception) is { } line)
    {
        Log.Fatal("The gateway cannot start: {Reason}", line);
    }
    else
    {
        Log.Fatal(exception, "The gateway stopped: {Reason}", exception.Message);
    }

    return 1;
}
finally
{
    Log.CloseAndFlush();
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
