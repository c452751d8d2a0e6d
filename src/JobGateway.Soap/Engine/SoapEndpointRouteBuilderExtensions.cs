using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobGateway.Soap.Engine;

/// <summary>Maps a declared service onto its path.</summary>
public static class SoapEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves <paramref name="service"/> at its path (SOAP, WSDL, help pages) and at <c>{path}/{operation}</c>
    /// (the HTTP GET/POST bindings, or ASMX's "unrecognized" answer when the service does not offer them).
    /// Requires <see cref="SoapServiceCollectionExtensions.AddSoapEngine"/>.
    /// </summary>
    public static IEndpointConventionBuilder MapSoapService(this IEndpointRouteBuilder endpoints, SoapServiceDescription service)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var provider = endpoints.ServiceProvider;
        var options = provider.GetRequiredService<IOptions<SoapOptions>>().Value;
        var endpoint = new SoapServiceEndpoint(
            new SoapDispatchTable(service),
            options,
            provider.GetRequiredService<SoapAddressResolver>(),
            provider.GetRequiredService<ILogger<SoapServiceEndpoint>>());

        // The services authenticate in the message (keys in parameters or headers), not with HTTP auth.
        var group = endpoints.MapGroup(string.Empty)
            .AllowAnonymous()
            .ExcludeFromDescription()
            .WithMetadata(new EngineEnforcedBodyLimit());
        group.MapMethods(service.Path, [HttpMethodNames.Get, HttpMethodNames.Post], endpoint.HandleServiceAsync)
            .WithDisplayName($"{service.Name} {service.Path}");
        group.MapMethods(service.Path + "/{operation}", [HttpMethodNames.Get, HttpMethodNames.Post], endpoint.HandleOperationUrlAsync)
            .WithDisplayName($"{service.Name} {service.Path}/{{operation}}");
        return group;
    }

    /// <summary>
    /// No limit from the host: the engine caps the body itself (by Content-Length at once, or while reading a
    /// chunked body) so that an oversize request is answered in the caller's dialect (a SOAP fault, or
    /// ASMX's plain text) rather than by a generic 413 page.
    /// </summary>
    private sealed class EngineEnforcedBodyLimit : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => null;
    }

    private static class HttpMethodNames
    {
        public const string Get = "GET";
        public const string Post = "POST";
    }
}
