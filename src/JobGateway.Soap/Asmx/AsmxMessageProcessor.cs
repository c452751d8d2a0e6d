using System.ServiceModel.Channels;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using SoapCore;
using SoapCore.Extensibility;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// SoapCore's hook after the envelope is parsed and before parameters are bound: picks the operation as ASMX does
/// and refuses what ASMX refuses, so SoapCore only ever dispatches an exact match.
/// <list type="bullet">
/// <item>SOAP 1.1 names the operation in the SOAPAction header, SOAP 1.2 in the content type's action parameter,
/// matched exactly; without one the body element decides. An unknown action, or a body element that is not the
/// named operation's, faults.</item>
/// <item>A header the operation reads must be there once; a parameter may appear at most once.</item>
/// </list>
/// </summary>
internal sealed class AsmxMessageProcessor : ISoapMessageProcessor
{
    public async Task<Message> ProcessMessage(Message message, HttpContext context, Func<Message, Task<Message>> next)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetEndpoint()?.Metadata.GetMetadata<AsmxService>() is not { } service || message is not ParsedMessage parsed)
        {
            return await next(message);
        }

        var version = AsmxEnvelope.VersionOf(message.Version);
        var selected = SelectByAction(context.Request, version, service);
        var body = parsed.GetBodyAsXDocument().Root ?? throw SoapFaultException.Client("The SOAP Envelope has no Body.");
        var request = body.Elements().FirstOrDefault() ?? throw SoapFaultException.Client("The SOAP Body is empty.");
        var operation = service.ByElement(request.Name);
        if (selected is not null && !ReferenceEquals(operation, selected))
        {
            throw SoapFaultException.Client(
                $"The request element {request.Name.LocalName} in namespace '{request.Name.NamespaceName}' does not match the operation {selected.Name} named by the SOAP action.");
        }

        if (operation is null)
        {
            throw SoapFaultException.Client(
                $"The request element {request.Name.LocalName} in namespace '{request.Name.NamespaceName}' is not an operation of this service.");
        }

        CheckHeader(message.Headers, operation);
        foreach (var parameter in operation.Parameters)
        {
            if (request.Elements(XName.Get(parameter.Name, service.Namespace)).Skip(1).Any())
            {
                throw SoapFaultException.Client($"Parameter {parameter.Name} appears more than once.");
            }
        }

        // SoapCore dispatches by this header (and matches it loosely); from here it names exactly the operation above.
        context.Request.Headers["SOAPAction"] = operation.Action;
        return await next(message);
    }

    private static AsmxOperation? SelectByAction(HttpRequest request, SoapVersion version, AsmxService service)
    {
        string? action;
        string source;
        if (version == SoapVersion.Soap11)
        {
            var header = request.Headers["SOAPAction"];
            action = header.Count == 0 ? null : Uri.UnescapeDataString(header.ToString().Trim().Trim('"'));
            source = "HTTP Header SOAPAction";
        }
        else
        {
            var parameter = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
                ? mediaType.Parameters.FirstOrDefault(p => p.Name.Equals("action", StringComparison.OrdinalIgnoreCase))
                : null;
            action = parameter is null ? null : HeaderUtilities.RemoveQuotes(parameter.Value).ToString();
            source = "the action parameter";
        }

        if (string.IsNullOrEmpty(action))
        {
            return null;
        }

        return service.ByAction(action) ?? throw SoapFaultException.Client($"Server did not recognize the value of {source}: {action}.");
    }

    private static void CheckHeader(MessageHeaders headers, AsmxOperation operation)
    {
        if (operation.Header is not { } header)
        {
            return;
        }

        var count = headers.Count(h => h.Name == header.Name && h.Namespace == operation.Service.Namespace);
        if (count == 0)
        {
            throw SoapFaultException.Client($"Missing SOAP header: {header.Name}.");
        }

        if (count > 1)
        {
            throw SoapFaultException.Client($"SOAP header {header.Name} appears more than once.");
        }
    }
}
