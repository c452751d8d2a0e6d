using JobGateway.Soap.DiscountAsp;
using JobGateway.Soap.Engine;
using JobGateway.Soap.MagnetMail;
using JobGateway.Soap.T2A;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Soap;

/// <summary>The three vendor ASMX services on the shared job store.</summary>
public static class SoapModule
{
    private static readonly IReadOnlyList<SoapServiceDescription> Services =
    [
        T2AService.Description,
        CustomerApiService.Description,
        MagnetMailService.Description,
    ];

    /// <summary>
    /// Engine options (section <c>Soap</c>; the public base URL falls back to <c>Gateway:PublicBaseUrl</c>),
    /// status word overrides (<c>Soap:StatusWords</c>) and the operation handlers. Needs
    /// <c>IJobStore</c> and <c>ApiKeyAuthenticator</c> from the host.
    /// </summary>
    public static IServiceCollection AddSoap(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSoapEngine()
            .Bind(configuration.GetSection(SoapOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrEmpty(o.PublicBaseUrl))
                {
                    o.PublicBaseUrl = configuration["Gateway:PublicBaseUrl"] is { Length: > 0 } url ? url : null;
                }
            });
        services.AddOptions<StatusWordOptions>().Bind(configuration.GetSection(StatusWordOptions.Section));
        // Stateless, resolved once per call: transient, so a call adds nothing to the request scope's table.
        services.AddTransient<SoapCredentials>();
        services.AddTransient<T2AOperations>();
        services.AddTransient<CustomerApiOperations>();
        services.AddTransient<MagnetMailOperations>();
        return services;
    }

    /// <summary>Maps <c>/soap/t2a.asmx</c>, <c>/1.0/customerapi.asmx</c> and <c>/mmapi.asmx</c>.</summary>
    public static IEndpointRouteBuilder MapSoap(this IEndpointRouteBuilder app)
    {
        foreach (var service in Services)
        {
            app.MapSoapService(service);
        }

        return app;
    }
}
