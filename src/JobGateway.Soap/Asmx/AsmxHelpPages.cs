using System.Text;
using System.Net;
using System.Xml;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// The HTML pages ASMX serves on <c>GET /x.asmx</c> (the operation list) and <c>?op=NAME</c> (sample requests
/// and responses per protocol). Every value written into the HTML is encoded.
/// </summary>
internal static class AsmxHelpPages
{
    private const string Style = """
        body { color: #000000; background-color: white; font-family: Verdana, sans-serif; margin: 0; }
        #content { margin-left: 30px; font-size: .70em; padding-bottom: 2em; }
        .heading1 { color: #ffffff; font-family: Tahoma, sans-serif; font-size: 26px; font-weight: normal; background-color: #003366; margin: 0 -30px; padding: 10px 0 3px 15px; }
        h2 { font-size: 1.5em; margin-top: 25px; }
        h3 { font-size: 1.1em; margin-top: 20px; }
        pre { background-color: #e5e5cc; padding: 5px; font-family: Courier New, monospace; font-size: 1.2em; white-space: pre-wrap; }
        .frmHeader { background-color: #dcdcdc; font-weight: bold; }
        """;

    private static readonly XmlWriterSettings SampleSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        IndentChars = "  ",
        OmitXmlDeclaration = false,
    };

    /// <summary>The operation list.</summary>
    public static string ServicePage(AsmxService service)
    {
        var html = Start(service);
        html.Append("<p class=\"intro\">The following operations are supported. For a formal definition, please review the <a href=\"")
            .Append(Encode(service.FileName)).Append("?WSDL\">Service Description</a>.</p>\n<ul>\n");
        foreach (var operation in service.Operations)
        {
            html.Append("<li class=\"operation\"><a href=\"").Append(Encode(service.FileName)).Append("?op=")
                .Append(Encode(Uri.EscapeDataString(operation.Name))).Append("\">").Append(Encode(operation.Name))
                .Append("</a><br><span>").Append(Encode(operation.Documentation)).Append("</span></li>\n");
        }

        html.Append("</ul>\n");
        return End(html);
    }

    /// <summary>The page of an unknown operation: the name is echoed, encoded.</summary>
    public static string UnknownOperationPage(AsmxService service, string name)
    {
        var html = Start(service);
        AppendBackLink(html, service);
        html.Append("<p>").Append(Encode(name)).Append(" is not an operation of this service.</p>\n");
        return End(html);
    }

    /// <summary>The sample page of one operation; <paramref name="address"/> is the service URL clients are told to use.</summary>
    public static string OperationPage(AsmxService service, AsmxOperation operation, Uri address)
    {
        var html = Start(service);
        AppendBackLink(html, service);
        html.Append("<h2>").Append(Encode(operation.Name)).Append("</h2>\n<p class=\"intro\">")
            .Append(Encode(operation.Documentation)).Append("</p>\n<h3>Test</h3>\n");
        if (service.OffersHttpGetAndPost)
        {
            AppendTestForm(html, service, operation);
        }
        else
        {
            html.Append("<p>The test form is only available for requests from the local machine.</p>\n");
        }

        var path = address.AbsolutePath;
        var host = address.Authority;
        AppendSection(
            html,
            "SOAP 1.1",
            $"POST {path} HTTP/1.1\nHost: {host}\nContent-Type: text/xml; charset=utf-8\nContent-Length: length\nSOAPAction: \"{operation.Action}\"\n\n{SoapSample(service, operation, SoapVersion.Soap11, request: true)}",
            $"HTTP/1.1 200 OK\nContent-Type: text/xml; charset=utf-8\nContent-Length: length\n\n{SoapSample(service, operation, SoapVersion.Soap11, request: false)}");
        AppendSection(
            html,
            "SOAP 1.2",
            $"POST {path} HTTP/1.1\nHost: {host}\nContent-Type: application/soap+xml; charset=utf-8\nContent-Length: length\n\n{SoapSample(service, operation, SoapVersion.Soap12, request: true)}",
            $"HTTP/1.1 200 OK\nContent-Type: application/soap+xml; charset=utf-8\nContent-Length: length\n\n{SoapSample(service, operation, SoapVersion.Soap12, request: false)}");
        if (service.OffersHttpGetAndPost)
        {
            var query = string.Join('&', operation.Parameters.Select(p => $"{p.Name}={XsdTypes.Placeholder(p.Type)}"));
            var plainResponse = $"HTTP/1.1 200 OK\nContent-Type: text/xml; charset=utf-8\nContent-Length: length\n\n{PlainSample(service, operation)}";
            AppendSection(html, "HTTP GET", $"GET {path}/{operation.Name}?{query} HTTP/1.1\nHost: {host}\n", plainResponse);
            AppendSection(
                html,
                "HTTP POST",
                $"POST {path}/{operation.Name} HTTP/1.1\nHost: {host}\nContent-Type: application/x-www-form-urlencoded\nContent-Length: length\n\n{query}",
                plainResponse);
        }

        return End(html);
    }

    private static StringBuilder Start(AsmxService service) =>
        new StringBuilder(4096)
            .Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Encode(service.Name))
            .Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<div id=\"content\">\n<p class=\"heading1\">")
            .Append(Encode(service.Name)).Append("</p>\n<br>\n");

    private static string End(StringBuilder html) => html.Append("</div>\n</body>\n</html>\n").ToString();

    private static void AppendBackLink(StringBuilder html, AsmxService service) =>
        html.Append("<p class=\"intro\">Click <a href=\"").Append(Encode(service.FileName))
            .Append("\">here</a> for a complete list of operations.</p>\n");

    private static void AppendTestForm(StringBuilder html, AsmxService service, AsmxOperation operation)
    {
        html.Append("<p>To test the operation using the HTTP POST protocol, click the 'Invoke' button.</p>\n<form target=\"_blank\" action=\"")
            .Append(Encode(service.FileName)).Append('/').Append(Encode(Uri.EscapeDataString(operation.Name)))
            .Append("\" method=\"POST\">\n<table cellspacing=\"0\" cellpadding=\"4\">\n<tr><td class=\"frmHeader\">Parameter</td><td class=\"frmHeader\">Value</td></tr>\n");
        foreach (var parameter in operation.Parameters)
        {
            html.Append("<tr><td>").Append(Encode(parameter.Name)).Append(":</td><td><input type=\"text\" size=\"50\" name=\"")
                .Append(Encode(parameter.Name)).Append("\"></td></tr>\n");
        }

        html.Append("<tr><td></td><td align=\"right\"><input type=\"submit\" value=\"Invoke\"></td></tr>\n</table>\n</form>\n");
    }

    private static void AppendSection(StringBuilder html, string protocol, string request, string response) =>
        html.Append("<span>\n<h3>").Append(Encode(protocol)).Append("</h3>\n<p>The following is a sample ")
            .Append(Encode(protocol))
            .Append(" request and response. The placeholders shown need to be replaced with actual values.</p>\n<pre>")
            .Append(Encode(request)).Append("</pre>\n<pre>").Append(Encode(response)).Append("</pre>\n</span>\n");

    /// <summary>A sample envelope with type placeholders, prefixed <c>soap</c> / <c>soap12</c> as the seed pages show.</summary>
    private static string SoapSample(AsmxService service, AsmxOperation operation, SoapVersion version, bool request)
    {
        var prefix = AsmxEnvelope.Prefix(version);
        var ns = AsmxEnvelope.Namespace(version);
        return WriteSample(w =>
        {
            AsmxEnvelope.WriteStart(w, version);
            if (request && operation.Header is { } header)
            {
                w.WriteStartElement(prefix, "Header", ns);
                w.WriteStartElement(header.Name, service.Namespace);
                WriteMemberSamples(w, header, service.Namespace, depth: 0);
                w.WriteEndElement();
                w.WriteEndElement();
            }

            w.WriteStartElement(prefix, "Body", ns);
            if (request)
            {
                w.WriteStartElement(operation.Name, service.Namespace);
                WriteParameterSamples(w, operation.Parameters, service.Namespace);
            }
            else
            {
                w.WriteStartElement(operation.ResponseElement, service.Namespace);
                w.WriteStartElement(operation.ResultElement, service.Namespace);
                WriteMemberSamples(w, operation.Result, service.Namespace, depth: 0);
                w.WriteEndElement();
            }

            w.WriteEndDocument();
        });
    }

    private static string PlainSample(AsmxService service, AsmxOperation operation) =>
        WriteSample(w =>
        {
            w.WriteStartDocument();
            w.WriteStartElement(operation.Result.Name, service.Namespace);
            WriteMemberSamples(w, operation.Result, service.Namespace, depth: 0);
            w.WriteEndDocument();
        });

    private static void WriteParameterSamples(XmlWriter w, IReadOnlyList<AsmxParameter> parameters, string ns)
    {
        foreach (var parameter in parameters)
        {
            w.WriteElementString(parameter.Name, ns, XsdTypes.Placeholder(parameter.Type));
        }
    }

    private static void WriteMemberSamples(XmlWriter w, AsmxComplexType type, string ns, int depth)
    {
        // A self-referencing type would recurse forever; samples stop a few levels down.
        if (depth > 8)
        {
            return;
        }

        foreach (var member in type.Members)
        {
            if (member.SimpleType is { } simple)
            {
                w.WriteElementString(member.Name, ns, XsdTypes.Placeholder(simple));
            }
            else
            {
                w.WriteStartElement(member.Name, ns);
                WriteMemberSamples(w, member.ComplexType!, ns, depth + 1);
                w.WriteEndElement();
            }
        }
    }

    private static string WriteSample(Action<XmlWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, SampleSettings))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // Encodes <, >, &, quotes and non-ASCII: safe in text and in quoted attributes, and keeps the samples' line breaks.
    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
