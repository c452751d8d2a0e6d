using System.ComponentModel.DataAnnotations;
using System.Net;
using JobGateway.Core.Clients;
using JobGateway.Core.Telemetry;
using JobGateway.Persistence.Stores;
using JobGateway.Rest.Auth;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace JobGateway.Api;

/// <summary>Metrics and traces (<c>Gateway:Telemetry</c>).</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Gateway:Telemetry";

    /// <summary>Where Prometheus scrapes the metrics; empty: no metrics endpoint.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.0.0.0/8</c>) whose callers read the metrics without a key, decided from the
    /// connection's remote address (never from a header); any other caller needs an admin key. Unset: loopback only.
    /// </summary>
    public string[]? MetricsNetworks { get; set; }

    /// <summary>How long the gauge of Pending jobs reuses its counts, in seconds (0: a read per scrape).</summary>
    [Range(0, 300)]
    public int PendingGaugeSeconds { get; set; } = 5;

    /// <summary>The OTLP collector traces are exported to; empty (the default): no traces are exported.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The OTLP protocol: <c>Grpc</c> (port 4317) or <c>HttpProtobuf</c> (port 4318, the endpoint ends in <c>/v1/traces</c>).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>The networks in effect.</summary>
    public IReadOnlyList<IPNetwork> Networks() =>
        [.. (MetricsNetworks ?? ["127.0.0.0/8", "::1/128"]).Select(n => IPNetwork.Parse(n.Trim()))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in MetricsNetworks ?? [])
        {
            if (!IPNetwork.TryParse(network?.Trim(), out _))
            {
                yield return new ValidationResult($"Gateway:Telemetry:MetricsNetworks: '{network}' is not a network in CIDR form (10.0.0.0/8, ::1/128).", [nameof(MetricsNetworks)]);
            }
        }

        if (!string.IsNullOrEmpty(MetricsPath) && !MetricsPath.StartsWith('/'))
        {
            yield return new ValidationResult("Gateway:Telemetry:MetricsPath must start with '/'.", [nameof(MetricsPath)]);
        }

        if (!string.IsNullOrEmpty(OtlpEndpoint) && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Gateway:Telemetry:OtlpEndpoint must be an absolute URL.", [nameof(OtlpEndpoint)]);
        }
    }
}

internal static class TelemetryModule
{
    private const string MetricsPolicy = "metrics";

    /// <summary>
    /// OpenTelemetry: the gateway's meter, ASP.NET Core's and the runtime's, for Prometheus; traces of the gateway's
    /// activities and ASP.NET Core requests to OTLP, only when an endpoint is configured.
    /// </summary>
    public static WebApplicationBuilder AddGatewayTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

        builder.Services.AddSingleton(sp => new PendingJobsGauge(
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<GatewayTelemetry>(),
            sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.PendingGaugeSeconds)));
        builder.Services.AddSingleton(sp => new MetricsAccess(sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.Networks()));

        // The policy names no scheme: the bearer key, if any, is the one the authentication middleware read.
        builder.Services.AddAuthorizationBuilder().AddPolicy(MetricsPolicy, p => p.RequireAssertion(context =>
            context.User.IsInRole(GatewayClaims.RoleName(ApiKeyRoles.Admin))
            || (context.Resource is HttpContext http && http.RequestServices.GetRequiredService<MetricsAccess>().Allows(http.Connection.RemoteIpAddress))));

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("jobgateway").AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddMeter(GatewayTelemetry.Name)
                .AddInstrumentation(sp => sp.GetRequiredService<PendingJobsGauge>())
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrEmpty(options.OtlpEndpoint))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(GatewayTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = new Uri(options.OtlpEndpoint);
                    o.Protocol = options.OtlpProtocol;
                }));
        }

        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> (<c>Gateway:Telemetry:MetricsPath</c>) in Prometheus' text format, for callers from the
    /// configured networks (default: loopback) and for admin keys; others get 401, client keys 403.
    /// </summary>
    public static WebApplication MapGatewayMetrics(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.MetricsPath;
        if (!string.IsNullOrEmpty(path))
        {
            app.MapPrometheusScrapingEndpoint(path).RequireAuthorization(MetricsPolicy);
        }

        return app;
    }

    /// <summary>Whether a connection's remote address is in the networks that read the metrics without a key.</summary>
    private sealed class MetricsAccess(IReadOnlyList<IPNetwork> networks)
    {
        public bool Allows(IPAddress? remote)
        {
            if (remote is null)
            {
                return false;
            }

            var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
            foreach (var network in networks)
            {
                if (network.Contains(address))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
