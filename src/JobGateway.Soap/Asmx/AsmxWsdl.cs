using System.Xml.Linq;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// Completes the WSDL SoapCore generates from a contract with what ASMX publishes and SoapCore cannot write:
/// <list type="bullet">
/// <item>every port's address is the trusted base URL (SoapCore would copy the request's Host header);</item>
/// <item>each operation's documentation on its portType;</item>
/// <item>for a service offering them, the HTTP GET and HTTP POST bindings: messages, portTypes, bindings, ports
/// and the global element of each result type that their replies' root is.</item>
/// </list>
/// </summary>
internal static class AsmxWsdl
{
    private static readonly XNamespace Wsdl = XmlNamespaces.Wsdl;
    private static readonly XNamespace Xsd = XmlNamespaces.Xsd;
    private static readonly XNamespace Http = XmlNamespaces.WsdlHttp;
    private static readonly XNamespace Mime = XmlNamespaces.WsdlMime;

    public static XDocument Complete(XDocument wsdl, AsmxService service, string address)
    {
        var root = wsdl.Root ?? throw new InvalidOperationException("SoapCore wrote an empty WSDL.");
        foreach (var location in root.Elements(Wsdl + "service").Elements(Wsdl + "port").Elements().Attributes("location"))
        {
            location.Value = address;
        }

        foreach (var element in root.Elements(Wsdl + "portType").Elements(Wsdl + "operation"))
        {
            if (service.ByName((string?)element.Attribute("name") ?? string.Empty) is { Documentation.Length: > 0 } operation)
            {
                element.AddFirst(new XElement(Wsdl + "documentation", operation.Documentation));
            }
        }

        if (service.OffersHttpGetAndPost)
        {
            AddHttpBindings(root, service, address);
        }

        return wsdl;
    }

    private static void AddHttpBindings(XElement root, AsmxService service, string address)
    {
        // SoapCore binds the prefix "http" to a policy namespace it does not use here; ASMX's WSDL binds it to the
        // HTTP binding namespace.
        root.Attributes().Where(a => a.IsNamespaceDeclaration && a.Name.LocalName is "http" or "mime").Remove();
        root.Add(new XAttribute(XNamespace.Xmlns + "http", Http.NamespaceName), new XAttribute(XNamespace.Xmlns + "mime", Mime.NamespaceName));
        XNamespace tns = service.Namespace;
        var tnsPrefix = root.GetPrefixOfNamespace(tns) ?? throw new InvalidOperationException("The WSDL declares no prefix for the target namespace.");
        string Qualified(string name) => $"{tnsPrefix}:{name}";

        var schema = root.Elements(Wsdl + "types").Elements(Xsd + "schema").First(s => (string?)s.Attribute("targetNamespace") == service.Namespace);
        foreach (var result in service.Operations.Select(o => o.Result.Name).Distinct(StringComparer.Ordinal))
        {
            schema.Add(new XElement(Xsd + "element", new XAttribute("name", result), new XAttribute("nillable", "true"), new XAttribute("type", Qualified(result))));
        }

        var bindings = new[] { ("HttpGet", "GET", (XElement)new XElement(Http + "urlEncoded")), ("HttpPost", "POST", new XElement(Mime + "content", new XAttribute("type", "application/x-www-form-urlencoded"))) };
        var messages = new List<XElement>();
        var portTypes = new List<XElement>();
        var bindingElements = new List<XElement>();
        var ports = new List<XElement>();
        foreach (var (suffix, verb, input) in bindings)
        {
            var portType = new XElement(Wsdl + "portType", new XAttribute("name", service.WsdlName + suffix));
            var binding = new XElement(
                Wsdl + "binding",
                new XAttribute("name", service.WsdlName + suffix),
                new XAttribute("type", Qualified(service.WsdlName + suffix)),
                new XElement(Http + "binding", new XAttribute("verb", verb)));
            foreach (var operation in service.Operations)
            {
                messages.Add(new XElement(
                    Wsdl + "message",
                    new XAttribute("name", operation.Name + suffix + "In"),
                    operation.Parameters.Select(p => new XElement(Wsdl + "part", new XAttribute("name", p.Name), new XAttribute("type", TypeName(root, p.Type))))));
                messages.Add(new XElement(
                    Wsdl + "message",
                    new XAttribute("name", operation.Name + suffix + "Out"),
                    new XElement(Wsdl + "part", new XAttribute("name", "Body"), new XAttribute("element", Qualified(operation.Result.Name)))));
                portType.Add(new XElement(
                    Wsdl + "operation",
                    new XAttribute("name", operation.Name),
                    operation.Documentation.Length > 0 ? new XElement(Wsdl + "documentation", operation.Documentation) : null,
                    new XElement(Wsdl + "input", new XAttribute("message", Qualified(operation.Name + suffix + "In"))),
                    new XElement(Wsdl + "output", new XAttribute("message", Qualified(operation.Name + suffix + "Out")))));
                binding.Add(new XElement(
                    Wsdl + "operation",
                    new XAttribute("name", operation.Name),
                    new XElement(Http + "operation", new XAttribute("location", "/" + operation.Name)),
                    new XElement(Wsdl + "input", new XElement(input)),
                    new XElement(Wsdl + "output", new XElement(Mime + "mimeXml", new XAttribute("part", "Body")))));
            }

            portTypes.Add(portType);
            bindingElements.Add(binding);
            ports.Add(new XElement(
                Wsdl + "port",
                new XAttribute("name", service.WsdlName + suffix),
                new XAttribute("binding", Qualified(service.WsdlName + suffix)),
                new XElement(Http + "address", new XAttribute("location", address))));
        }

        root.Elements(Wsdl + "message").Last().AddAfterSelf(messages);
        root.Elements(Wsdl + "portType").Last().AddAfterSelf(portTypes);
        root.Elements(Wsdl + "binding").Last().AddAfterSelf(bindingElements);
        root.Elements(Wsdl + "service").Single().Add(ports);
    }

    /// <summary>A parameter's type as the WSDL's schema prefixes name it.</summary>
    private static string TypeName(XElement root, XsdType type)
    {
        var ns = type == XsdType.Guid ? XmlNamespaces.MicrosoftTypes : XmlNamespaces.Xsd;
        var prefix = root.GetPrefixOfNamespace(ns) ?? throw new InvalidOperationException($"The WSDL declares no prefix for {ns}.");
        return $"{prefix}:{XsdTypes.Placeholder(type)}";
    }
}
