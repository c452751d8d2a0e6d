using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobGateway.Soap.Engine;

/// <summary>Registers what every mapped service shares.</summary>
public static class SoapServiceCollectionExtensions
{
    /// <summary>Options (section <c>Soap</c>, validated at start-up) and the address resolver.</summary>
    public static OptionsBuilder<SoapOptions> AddSoapEngine(this IServiceCollection services)
    {
        services.AddSingleton<SoapAddressResolver>();
        return services.AddOptions<SoapOptions>()
            .ValidateDataAnnotations()
            .Validate(o => o.HasValidPublicBaseUrl, "Soap:PublicBaseUrl must be an absolute http or https URL without query or fragment.")
            .ValidateOnStart();
    }
}
