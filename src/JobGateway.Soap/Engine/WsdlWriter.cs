using System.Text;
using System.Xml;

namespace JobGateway.Soap.Engine;

/// <summary>
/// Writes the WSDL 1.1 description ASMX would: document/literal wrapped, <c>elementFormDefault="qualified"</c>,
/// messages <c>{op}SoapIn</c>/<c>{op}SoapOut</c>, header messages <c>{op}{header}</c>, one SOAP portType bound as
/// <c>{Service}Soap</c> and <c>{Service}Soap12</c>, and the HTTP GET/POST portTypes and bindings when offered.
/// </summary>
internal static class WsdlWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        IndentChars = "  ",
        CloseOutput = false,
    };

    public static void Write(Stream output, SoapServiceDescription service, string address)
    {
        using var w = XmlWriter.Create(output, Settings);
        var name = service.WsdlName;
        var usesGuid = UsesGuid(service);
        var httpGet = service.Bindings.HasFlag(SoapBindings.HttpGet);
        var httpPost = service.Bindings.HasFlag(SoapBindings.HttpPost);

        w.WriteStartDocument();
        w.WriteStartElement("wsdl", "definitions", XmlNamespaces.Wsdl);
        w.WriteAttributeString("xmlns", "soap", null, XmlNamespaces.WsdlSoap11);
        w.WriteAttributeString("xmlns", "soapenc", null, XmlNamespaces.SoapEncoding);
        w.WriteAttributeString("xmlns", "mime", null, XmlNamespaces.WsdlMime);
        w.WriteAttributeString("xmlns", "tns", null, service.Namespace);
        if (usesGuid)
        {
            w.WriteAttributeString("xmlns", "s1", null, XmlNamespaces.MicrosoftTypes);
        }

        w.WriteAttributeString("xmlns", "s", null, XmlNamespaces.Xsd);
        w.WriteAttributeString("xmlns", "soap12", null, XmlNamespaces.WsdlSoap12);
        w.WriteAttributeString("xmlns", "http", null, XmlNamespaces.WsdlHttp);
        w.WriteAttributeString("targetNamespace", service.Namespace);
        w.WriteAttributeString("xmlns", "wsdl", null, XmlNamespaces.Wsdl);

        WriteTypes(w, service, usesGuid, httpGet || httpPost);
        WriteMessages(w, service, httpGet, httpPost);

        WritePortType(w, service, name + "Soap", "SoapIn", "SoapOut");
        if (httpGet)
        {
            WritePortType(w, service, name + "HttpGet", "HttpGetIn", "HttpGetOut");
        }

        if (httpPost)
        {
            WritePortType(w, service, name + "HttpPost", "HttpPostIn", "HttpPostOut");
        }

        var soapBindings = new List<(string Binding, string Prefix, string Ns)>();
        if (service.Bindings.HasFlag(SoapBindings.Soap11))
        {
            soapBindings.Add((name + "Soap", "soap", XmlNamespaces.WsdlSoap11));
        }

        if (service.Bindings.HasFlag(SoapBindings.Soap12))
        {
            soapBindings.Add((name + "Soap12", "soap12", XmlNamespaces.WsdlSoap12));
        }

        foreach (var (binding, prefix, ns) in soapBindings)
        {
            WriteSoapBinding(w, service, binding, name + "Soap", prefix, ns);
        }

        if (httpGet)
        {
            WriteHttpBinding(w, service, name + "HttpGet", "GET");
        }

        if (httpPost)
        {
            WriteHttpBinding(w, service, name + "HttpPost", "POST");
        }

        w.WriteStartElement("wsdl", "service", XmlNamespaces.Wsdl);
        w.WriteAttributeString("name", name);
        foreach (var (binding, prefix, ns) in soapBindings)
        {
            WritePort(w, binding, prefix, ns, address);
        }

        if (httpGet)
        {
            WritePort(w, name + "HttpGet", "http", XmlNamespaces.WsdlHttp, address);
        }

        if (httpPost)
        {
            WritePort(w, name + "HttpPost", "http", XmlNamespaces.WsdlHttp, address);
        }

        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void WriteTypes(XmlWriter w, SoapServiceDescription service, bool usesGuid, bool http)
    {
        w.WriteStartElement("wsdl", "types", XmlNamespaces.Wsdl);
        w.WriteStartElement("s", "schema", XmlNamespaces.Xsd);
        w.WriteAttributeString("elementFormDefault", "qualified");
        w.WriteAttributeString("targetNamespace", service.Namespace);
        if (usesGuid)
        {
            w.WriteStartElement("s", "import", XmlNamespaces.Xsd);
            w.WriteAttributeString("namespace", XmlNamespaces.MicrosoftTypes);
            w.WriteEndElement();
        }

        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in service.Operations)
        {
            w.WriteStartElement("s", "element", XmlNamespaces.Xsd);
            w.WriteAttributeString("name", operation.Name);
            WriteSequence(w, operation.Parameters.Select(p => (p.Name, XsdTypes.MinOccurs(p.Type), XsdTypes.QualifiedName(p.Type), false)));
            w.WriteEndElement();

            w.WriteStartElement("s", "element", XmlNamespaces.Xsd);
            w.WriteAttributeString("name", operation.ResponseElement);
            WriteSequence(w, [(operation.ResultElement, 0, "tns:" + operation.ResultType.Name, false)]);
            w.WriteEndElement();
            WriteComplexType(w, operation.ResultType, written);

            foreach (var header in operation.Headers)
            {
                if (written.Add(header.Name))
                {
                    w.WriteStartElement("s", "element", XmlNamespaces.Xsd);
                    w.WriteAttributeString("name", header.Name);
                    w.WriteAttributeString("type", "tns:" + header.Name);
                    w.WriteEndElement();
                    w.WriteStartElement("s", "complexType", XmlNamespaces.Xsd);
                    w.WriteAttributeString("name", header.Name);
                    WriteSequenceBody(w, header.Fields.Select(p => (p.Name, XsdTypes.MinOccurs(p.Type), XsdTypes.QualifiedName(p.Type), false)));

                    // ASMX header types accept any attribute (mustUnderstand, actor, ...).
                    w.WriteStartElement("s", "anyAttribute", XmlNamespaces.Xsd);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }
            }
        }

        if (http)
        {
            // The HTTP GET/POST replies have the result type's element as their root.
            var roots = new HashSet<string>(StringComparer.Ordinal);
            foreach (var operation in service.Operations)
            {
                if (roots.Add(operation.ResultType.Name))
                {
                    w.WriteStartElement("s", "element", XmlNamespaces.Xsd);
                    w.WriteAttributeString("name", operation.ResultType.Name);
                    w.WriteAttributeString("nillable", "true");
                    w.WriteAttributeString("type", "tns:" + operation.ResultType.Name);
                    w.WriteEndElement();
                }
            }
        }

        w.WriteEndElement();

        if (usesGuid)
        {
            w.WriteStartElement("s", "schema", XmlNamespaces.Xsd);
            w.WriteAttributeString("elementFormDefault", "qualified");
            w.WriteAttributeString("targetNamespace", XmlNamespaces.MicrosoftTypes);
            w.WriteStartElement("s", "simpleType", XmlNamespaces.Xsd);
            w.WriteAttributeString("name", "guid");
            w.WriteStartElement("s", "restriction", XmlNamespaces.Xsd);
            w.WriteAttributeString("base", "s:string");
            w.WriteStartElement("s", "pattern", XmlNamespaces.Xsd);
            w.WriteAttributeString("value", "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteComplexType(XmlWriter w, ISoapComplexType type, HashSet<string> written)
    {
        if (!written.Add(type.Name))
        {
            return;
        }

        w.WriteStartElement("s", "complexType", XmlNamespaces.Xsd);
        w.WriteAttributeString("name", type.Name);
        WriteSequenceBody(w, type.Members.Select(m => m.SimpleType is { } simple
            ? (m.Name, XsdTypes.MinOccurs(simple), XsdTypes.QualifiedName(simple), m.Nillable)
            : (m.Name, 0, "tns:" + m.ComplexType!.Name, m.Nillable)));
        w.WriteEndElement();

        foreach (var member in type.Members)
        {
            if (member.ComplexType is { } nested)
            {
                WriteComplexType(w, nested, written);
            }
        }
    }

    /// <summary>An anonymous complex type; ASMX writes an empty one for an operation without parameters.</summary>
    private static void WriteSequence(XmlWriter w, IEnumerable<(string Name, int MinOccurs, string Type, bool Nillable)> elements)
    {
        w.WriteStartElement("s", "complexType", XmlNamespaces.Xsd);
        var list = elements.ToList();
        if (list.Count > 0)
        {
            WriteSequenceBody(w, list);
        }

        w.WriteEndElement();
    }

    private static void WriteSequenceBody(XmlWriter w, IEnumerable<(string Name, int MinOccurs, string Type, bool Nillable)> elements)
    {
        w.WriteStartElement("s", "sequence", XmlNamespaces.Xsd);
        foreach (var (name, minOccurs, type, nillable) in elements)
        {
            w.WriteStartElement("s", "element", XmlNamespaces.Xsd);
            w.WriteAttributeString("minOccurs", XmlConvert.ToString(minOccurs));
            w.WriteAttributeString("maxOccurs", "1");
            w.WriteAttributeString("name", name);
            if (nillable)
            {
                w.WriteAttributeString("nillable", "true");
            }

            w.WriteAttributeString("type", type);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteMessages(XmlWriter w, SoapServiceDescription service, bool httpGet, bool httpPost)
    {
        foreach (var operation in service.Operations)
        {
            WriteMessage(w, operation.Name + "SoapIn", [("parameters", "element", "tns:" + operation.Name)]);
            WriteMessage(w, operation.Name + "SoapOut", [("parameters", "element", "tns:" + operation.ResponseElement)]);
            foreach (var header in operation.Headers)
            {
                WriteMessage(w, operation.Name + header.Name, [(header.Name, "element", "tns:" + header.Name)]);
            }
        }

        foreach (var (enabled, suffix) in new[] { (httpGet, "HttpGet"), (httpPost, "HttpPost") })
        {
            if (!enabled)
            {
                continue;
            }

            foreach (var operation in service.Operations)
            {
                WriteMessage(w, operation.Name + suffix + "In", operation.Parameters.Select(p => (p.Name, "type", XsdTypes.QualifiedName(p.Type))).ToList());
                WriteMessage(w, operation.Name + suffix + "Out", [("Body", "element", "tns:" + operation.ResultType.Name)]);
            }
        }
    }

    private static void WriteMessage(XmlWriter w, string name, IReadOnlyList<(string Part, string Kind, string Reference)> parts)
    {
        w.WriteStartElement("wsdl", "message", XmlNamespaces.Wsdl);
        w.WriteAttributeString("name", name);
        foreach (var (part, kind, reference) in parts)
        {
            w.WriteStartElement("wsdl", "part", XmlNamespaces.Wsdl);
            w.WriteAttributeString("name", part);
            w.WriteAttributeString(kind, reference);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WritePortType(XmlWriter w, SoapServiceDescription service, string name, string inSuffix, string outSuffix)
    {
        w.WriteStartElement("wsdl", "portType", XmlNamespaces.Wsdl);
        w.WriteAttributeString("name", name);
        foreach (var operation in service.Operations)
        {
            w.WriteStartElement("wsdl", "operation", XmlNamespaces.Wsdl);
            w.WriteAttributeString("name", operation.Name);
            w.WriteElementString("wsdl", "documentation", XmlNamespaces.Wsdl, operation.Documentation);
            w.WriteStartElement("wsdl", "input", XmlNamespaces.Wsdl);
            w.WriteAttributeString("message", "tns:" + operation.Name + inSuffix);
            w.WriteEndElement();
            w.WriteStartElement("wsdl", "output", XmlNamespaces.Wsdl);
            w.WriteAttributeString("message", "tns:" + operation.Name + outSuffix);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteSoapBinding(XmlWriter w, SoapServiceDescription service, string name, string portType, string prefix, string ns)
    {
        w.WriteStartElement("wsdl", "binding", XmlNamespaces.Wsdl);
        w.WriteAttributeString("name", name);
        w.WriteAttributeString("type", "tns:" + portType);
        w.WriteStartElement(prefix, "binding", ns);
        w.WriteAttributeString("transport", XmlNamespaces.SoapHttpTransport);
        w.WriteEndElement();
        foreach (var operation in service.Operations)
        {
            w.WriteStartElement("wsdl", "operation", XmlNamespaces.Wsdl);
            w.WriteAttributeString("name", operation.Name);
            w.WriteStartElement(prefix, "operation", ns);
            w.WriteAttributeString("soapAction", service.ActionOf(operation));
            w.WriteAttributeString("style", "document");
            w.WriteEndElement();

            w.WriteStartElement("wsdl", "input", XmlNamespaces.Wsdl);
            WriteLiteralBody(w, prefix, ns);
            foreach (var header in operation.Headers)
            {
                w.WriteStartElement(prefix, "header", ns);
                w.WriteAttributeString("message", "tns:" + operation.Name + header.Name);
                w.WriteAttributeString("part", header.Name);
                w.WriteAttributeString("use", "literal");
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteStartElement("wsdl", "output", XmlNamespaces.Wsdl);
            WriteLiteralBody(w, prefix, ns);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WriteLiteralBody(XmlWriter w, string prefix, string ns)
    {
        w.WriteStartElement(prefix, "body", ns);
        w.WriteAttributeString("use", "literal");
        w.WriteEndElement();
    }

    private static void WriteHttpBinding(XmlWriter w, SoapServiceDescription service, string name, string verb)
    {
        w.WriteStartElement("wsdl", "binding", XmlNamespaces.Wsdl);
        w.WriteAttributeString("name", name);
        w.WriteAttributeString("type", "tns:" + name);
        w.WriteStartElement("http", "binding", XmlNamespaces.WsdlHttp);
        w.WriteAttributeString("verb", verb);
        w.WriteEndElement();
        foreach (var operation in service.Operations)
        {
            w.WriteStartElement("wsdl", "operation", XmlNamespaces.Wsdl);
            w.WriteAttributeString("name", operation.Name);
            w.WriteStartElement("http", "operation", XmlNamespaces.WsdlHttp);
            w.WriteAttributeString("location", "/" + operation.Name);
            w.WriteEndElement();
            w.WriteStartElement("wsdl", "input", XmlNamespaces.Wsdl);
            if (verb == "GET")
            {
                w.WriteStartElement("http", "urlEncoded", XmlNamespaces.WsdlHttp);
            }
            else
            {
                w.WriteStartElement("mime", "content", XmlNamespaces.WsdlMime);
                w.WriteAttributeString("type", "application/x-www-form-urlencoded");
            }

            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteStartElement("wsdl", "output", XmlNamespaces.Wsdl);
            w.WriteStartElement("mime", "mimeXml", XmlNamespaces.WsdlMime);
            w.WriteAttributeString("part", "Body");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void WritePort(XmlWriter w, string binding, string prefix, string ns, string address)
    {
        w.WriteStartElement("wsdl", "port", XmlNamespaces.Wsdl);
        w.WriteAttributeString("name", binding);
        w.WriteAttributeString("binding", "tns:" + binding);
        w.WriteStartElement(prefix, "address", ns);
        w.WriteAttributeString("location", address);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static bool UsesGuid(SoapServiceDescription service) =>
        service.Operations.Any(o =>
            o.Parameters.Any(p => p.Type == XsdType.Guid)
            || o.Headers.Any(h => h.Fields.Any(f => f.Type == XsdType.Guid))
            || UsesGuid(o.ResultType, []));

    private static bool UsesGuid(ISoapComplexType type, HashSet<string> seen) =>
        seen.Add(type.Name)
        && type.Members.Any(m => m.SimpleType == XsdType.Guid || (m.ComplexType is { } nested && UsesGuid(nested, seen)));
}
