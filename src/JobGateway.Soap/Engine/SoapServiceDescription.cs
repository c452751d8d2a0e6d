using System.Xml;

namespace JobGateway.Soap.Engine;

/// <summary>
/// Everything the engine needs to serve one ASMX-style service: SOAP 1.1 and 1.2, the HTTP GET/POST bindings it
/// offers, the WSDL and the help pages all derive from this one declaration.
/// </summary>
public sealed class SoapServiceDescription
{
    /// <summary>The service name as the help pages title it, e.g. <c>MagnetMail Web Service</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The target namespace of the request and response elements.</summary>
    public required string Namespace { get; init; }

    /// <summary>The service path, e.g. <c>/mmapi.asmx</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The protocols offered.</summary>
    public SoapBindings Bindings { get; init; } = SoapBindings.Soap;

    public required IReadOnlyList<SoapOperation> Operations { get; init; }

    /// <summary>The name as WSDL names it: XML-encoded, so spaces become <c>_x0020_</c> as in ASMX.</summary>
    public string WsdlName => XmlConvert.EncodeLocalName(Name)!;

    /// <summary>The last segment of <see cref="Path"/>, which relative links on the help pages start from.</summary>
    public string FileName => Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>The SOAP action of an operation: the namespace and the name, joined by one slash as ASMX does.</summary>
    public string ActionOf(SoapOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Namespace.EndsWith('/') ? Namespace + operation.Name : Namespace + "/" + operation.Name;
    }

    /// <summary>Throws when the declaration cannot be served; called once when the service is mapped.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        ArgumentException.ThrowIfNullOrWhiteSpace(Namespace);
        if (!Path.StartsWith('/') || Path.EndsWith('/'))
        {
            throw new InvalidOperationException($"Service {Name}: path '{Path}' must start and not end with '/'.");
        }

        if ((Bindings & SoapBindings.Soap) == SoapBindings.None || Operations.Count == 0)
        {
            throw new InvalidOperationException($"Service {Name} needs a SOAP binding and at least one operation.");
        }

        if (Operations.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count() != Operations.Count)
        {
            throw new InvalidOperationException($"Service {Name} declares an operation twice.");
        }

        foreach (var operation in Operations)
        {
            if (operation.Parameters.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != operation.Parameters.Count)
            {
                throw new InvalidOperationException($"Operation {operation.Name} declares a parameter twice.");
            }

            // A query string or a form cannot carry SOAP headers.
            if ((Bindings & (SoapBindings.HttpGet | SoapBindings.HttpPost)) != SoapBindings.None && operation.Headers.Count > 0)
            {
                throw new InvalidOperationException($"Operation {operation.Name} reads SOAP headers and cannot be offered over HTTP GET or POST.");
            }
        }
    }
}
