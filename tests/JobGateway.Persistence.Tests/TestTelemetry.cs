using System.Diagnostics.Metrics;
using JobGateway.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Persistence.Tests;

/// <summary>The stores' telemetry, on a meter factory of the tests' own.</summary>
internal static class TestTelemetry
{
    public static GatewayTelemetry Instance { get; } =
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
