using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SoapCore;
using SoapCore.Extensibility;

namespace JobGateway.Soap.Asmx;

/// <summary>Hosts SoapCore services the way ASMX served them.</summary>
public static class AsmxEndpoints
{
    /// <summary>
    /// SoapCore with the ASMX compatibility layer's hooks (faults, operation selection, parameter reading and
    /// required parameters, envelope prefixes), options (section <c>Soap</c>, validated at start-up) and the
    /// address resolver.
    /// </summary>
    public static OptionsBuilder<SoapOptions> AddAsmx(this IServiceCollection services)
    {
        services.AddSingleton<AsmxFaultTransformer>();
        services.Replace(ServiceDescriptor.Singleton<IFaultExceptionTransformer>(sp => sp.GetRequiredService<AsmxFaultTransformer>()));
        services.AddSoapCore<AsmxMessage>();
        services.AddSoapMessageProcessor<AsmxMessageProcessor>();
        services.AddCustomSoapMessageSerializer<AsmxParameterReader>();
        services.AddSingleton<SoapAddressResolver>();
        services.AddSingleton<AsmxDocuments>();
        services.AddHttpContextAccessor();
        return services.AddOptions<SoapOptions>()
            .ValidateDataAnnotations()
            .Validate(o => o.HasValidPublicBaseUrl, "Soap:PublicBaseUrl must be an absolute http or https URL without query or fragment.")
            .ValidateOnStart();
    }

    /// <summary>
    /// Serves the contract <typeparamref name="TContract"/> at <paramref name="path"/>: SOAP 1.1 and 1.2 through
    /// SoapCore behind <see cref="AsmxPreflight"/>, <c>?wsdl</c> and the help pages on GET, and
    /// <c>{path}/{operation}</c> for the HTTP GET/POST bindings (or ASMX's "unrecognized" answer when
    /// <paramref name="offersHttpGetAndPost"/> is false). Requires <see cref="AddAsmx"/> and the contract type
    /// registered in DI.
    /// </summary>
    public static IEndpointConventionBuilder MapAsmxService<TContract>(this IEndpointRouteBuilder endpoints, string path, bool offersHttpGetAndPost = false)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var service = new AsmxService(typeof(TContract), path, offersHttpGetAndPost);
        var soap = endpoints.CreateApplicationBuilder()
            .UseMiddleware<AsmxPreflight>(service)
            .UseSoapEndpoint<TContract, AsmxMessage>(options => Configure(options, service))
            .Build();
        var bindings = ActivatorUtilities.CreateInstance<AsmxHttpBindings>(endpoints.ServiceProvider, service);

        // The services authenticate in the message (keys in parameters or headers), not with HTTP auth, and cap
        // their bodies themselves so an oversize request is answered in the caller's dialect.
        var group = endpoints.MapGroup(string.Empty)
            .AllowAnonymous()
            .ExcludeFromDescription()
            .WithMetadata(new SelfEnforcedBodyLimit(), service);
        group.MapMethods(path, [HttpMethods.Get, HttpMethods.Post], soap).WithDisplayName($"{service.Name} {path}");
        group.MapMethods(path + "/{operation}", [HttpMethods.Get, HttpMethods.Post], bindings.HandleAsync)
            .WithDisplayName($"{service.Name} {path}/{{operation}}");
        return group;
    }

    private static void Configure(SoapCoreOptions options, AsmxService service)
    {
        options.Path = service.Path;
        options.SoapSerializer = SoapSerializer.XmlSerializer;
        options.GenerateSoapActionWithoutContractName = AsmxService.ActionsWithoutContractName;

        // ASMX's names: messages {op}SoapIn/{op}SoapOut, the portType {Service}Soap, guids from Microsoft's schema.
        options.UseLegacyWsdlNaming = true;
        options.UseMicrosoftGuid = true;
        options.IndentXml = false;
        options.OmitXmlDeclaration = false;
        options.EncoderOptions = [Encoder(SoapVersion.Soap11, service.WsdlName + "Soap"), Encoder(SoapVersion.Soap12, service.WsdlName + "Soap12")];
        options.UseCustomSerializer<AsmxParameterReader>();
        options.SoapModelBounder = new AsmxRequiredParameters(service);
    }

    private static SoapEncoderOptions Encoder(SoapVersion version, string bindingName) => new()
    {
        MessageVersion = AsmxEnvelope.MessageVersion(version),
        BindingName = bindingName,
        PortName = bindingName,

        // The reply's content type is the SOAP version's, never an echo of the request's.
        OverwriteResponseContentType = true,
    };

    private sealed class SelfEnforcedBodyLimit : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => null;
    }
}
