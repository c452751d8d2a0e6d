using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace JobGateway.Api;

/// <summary>Host-wide settings (<c>Gateway</c>).</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>
    /// The admin key created on first start with an empty database. Empty: one is generated and written
    /// once to the log. Also read from the environment as <c>Gateway__BootstrapAdminKey</c>.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>The URL clients reach the gateway at (used in WSDL addresses and links); empty: none.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Largest request body accepted by default, in bytes (endpoints may set their own).</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Server-side request timeout, in seconds, on every surface: a request still running after it is stopped and
    /// answered 503 <c>request_timeout</c> in its surface's dialect. Worker long polls get this on top of their
    /// longest wait.
    /// </summary>
    [Range(1, 3600)]
    public int RequestTimeoutSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(BootstrapAdminKey) && BootstrapAdminKey.Trim().Length < 16)
        {
            yield return new ValidationResult("Gateway:BootstrapAdminKey must be at least 16 characters.", [nameof(BootstrapAdminKey)]);
        }

        if (!string.IsNullOrEmpty(PublicBaseUrl)
            && !(Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("Gateway:PublicBaseUrl must be an absolute http or https URL.", [nameof(PublicBaseUrl)]);
        }
    }
}

internal static class GatewayOptionsModule
{
    public static IServiceCollection AddGatewayOptions(this IServiceCollection services)
    {
        services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    public static GatewayOptions GetGatewayOptions(this WebApplication app) =>
        app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
}
