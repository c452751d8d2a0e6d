using JobGateway.Soap.Asmx;
using JobGateway.Soap.DiscountAsp;
using JobGateway.Soap.MagnetMail;
using JobGateway.Soap.T2A;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Soap;

/// <summary>The three vendor ASMX services on the shared job store, hosted by SoapCore.</summary>
public static class SoapModule
{
    /// <summary>
    /// SoapCore and the ASMX compatibility layer (section <c>Soap</c>; the public base URL falls back to
    /// <c>Gateway:PublicBaseUrl</c>), status word overrides (<c>Soap:StatusWords</c>) and the services. Needs
    /// <c>IJobStore</c> and <c>ApiKeyAuthenticator</c> from the host.
    /// </summary>
    public static IServiceCollection AddSoap(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddAsmx()
            .Bind(configuration.GetSection(SoapOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrEmpty(o.PublicBaseUrl))
                {
                    o.PublicBaseUrl = configuration["Gateway:PublicBaseUrl"] is { Length: > 0 } url ? url : null;
                }
            });
        services.AddOptions<StatusWordOptions>().Bind(configuration.GetSection(StatusWordOptions.Section));
        services.AddScoped<SoapCredentials>();
        services.AddScoped<T2AService>();
        services.AddScoped<CustomerApiService>();
        services.AddScoped<MagnetMailService>();
        return services;
    }

    /// <summary>Maps <c>/soap/t2a.asmx</c>, <c>/1.0/customerapi.asmx</c> and <c>/mmapi.asmx</c>.</summary>
    public static IEndpointRouteBuilder MapSoap(this IEndpointRouteBuilder app)
    {
        app.MapAsmxService<T2AService>("/soap/t2a.asmx", offersHttpGetAndPost: true);
        app.MapAsmxService<CustomerApiService>("/1.0/customerapi.asmx");
        app.MapAsmxService<MagnetMailService>("/mmapi.asmx");
        return app;
    }
}
