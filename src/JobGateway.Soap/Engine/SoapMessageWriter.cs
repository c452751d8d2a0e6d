using System.Text;
using System.Xml;

namespace JobGateway.Soap.Engine;

/// <summary>
/// Writes replies as ASMX does: UTF-8 with the XML declaration, the <c>soap</c> prefix for both versions, and the
/// <c>xsi</c>/<c>xsd</c> declarations in the seeds' order.
/// </summary>
internal static class SoapMessageWriter
{
    public const string Soap11ContentType = "text/xml; charset=utf-8";
    public const string Soap12ContentType = "application/soap+xml; charset=utf-8";

    // Read-only once XmlWriter.Create has used it; shared by every request.
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        CloseOutput = false,
    };

    /// <summary>
    /// The envelope prefix of replies: <c>soap</c> for 1.1 and <c>soap12</c> for 1.2, exactly as the vendor
    /// pages (the binding contracts) show their responses and DESIGN.md its faults.
    /// </summary>
    public static string Prefix(SoapVersion version) => version == SoapVersion.Soap11 ? "soap" : "soap12";

    public static string ContentType(SoapVersion version) =>
        version == SoapVersion.Soap11 ? Soap11ContentType : Soap12ContentType;

    /// <summary>Creates an unindented UTF-8 writer over <paramref name="output"/>.</summary>
    public static XmlWriter Create(Stream output) => XmlWriter.Create(output, Settings);

    public static void WriteResponse(Stream output, SoapVersion version, SoapServiceDescription service, SoapOperation operation, SoapResult result)
    {
        using var writer = Create(output);
        var p = Prefix(version);
        WriteEnvelopeStart(writer, p, version);
        writer.WriteStartElement(p, "Body", XmlNamespaces.Envelope(version));
        writer.WriteStartElement(operation.ResponseElement, service.Namespace);
        writer.WriteStartElement(operation.ResultElement, service.Namespace);
        result.WriteMembers(writer, service.Namespace);
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    /// <summary>
    /// The reply on the fast lane: the envelope around the result's members is <paramref name="frame"/>, bytes the
    /// XmlWriter wrote once; the members go through <see cref="SoapReplyBuffer"/>. False (with the buffer abandoned)
    /// when a member needs the XmlWriter, or when no member was written (the XmlWriter would self-close the result).
    /// </summary>
    public static bool TryWriteResponse(SoapReplyBuffer buffer, ReplyFrame frame, SoapResult result)
    {
        buffer.Raw(frame.Head);
        var start = buffer.Length;
        if (!result.TryWriteMembers(buffer) || buffer.Length == start)
        {
            return false;
        }

        buffer.Raw(frame.Tail);
        return true;
    }

    /// <summary>
    /// The bytes <see cref="WriteResponse"/> writes before and after the result's members, found by writing the
    /// reply once around a marker character.
    /// </summary>
    public static ReplyFrame Frame(SoapVersion version, SoapServiceDescription service, SoapOperation operation)
    {
        using var output = new MemoryStream(512);
        using (var writer = Create(output))
        {
            var p = Prefix(version);
            WriteEnvelopeStart(writer, p, version);
            writer.WriteStartElement(p, "Body", XmlNamespaces.Envelope(version));
            writer.WriteStartElement(operation.ResponseElement, service.Namespace);
            writer.WriteStartElement(operation.ResultElement, service.Namespace);
            writer.WriteString(FrameMarker);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        var bytes = output.ToArray().AsSpan();
        var marker = Encoding.UTF8.GetBytes(FrameMarker);
        var at = bytes.IndexOf(marker);
        if (at < 0 || bytes[(at + marker.Length)..].IndexOf(marker) >= 0)
        {
            throw new InvalidOperationException($"The reply frame of {operation.Name} could not be found.");
        }

        return new ReplyFrame(bytes[..at].ToArray(), bytes[(at + marker.Length)..].ToArray());
    }

    // A private-use character: valid XML text that no name or namespace of a reply contains.
    private const string FrameMarker = "\uE000";

    /// <summary>The HTTP GET/POST reply: the result type's element as the root.</summary>
    public static void WritePlainXml(Stream output, SoapServiceDescription service, SoapOperation operation, SoapResult result)
    {
        using var writer = Create(output);
        writer.WriteStartDocument();
        writer.WriteStartElement(operation.ResultType.Name, service.Namespace);
        result.WriteMembers(writer, service.Namespace);
        writer.WriteEndDocument();
    }

    public static void WriteFault(Stream output, SoapVersion version, SoapFaultException fault)
    {
        using var writer = Create(output);
        var ns = XmlNamespaces.Envelope(version);
        var p = Prefix(version);
        WriteEnvelopeStart(writer, p, version);
        if (version == SoapVersion.Soap12 && fault.NotUnderstood.Count > 0)
        {
            // SOAP 1.2 names each header that was not understood in a NotUnderstood block.
            writer.WriteStartElement(p, "Header", ns);
            foreach (var name in fault.NotUnderstood)
            {
                writer.WriteStartElement(p, "NotUnderstood", ns);
                if (name.Namespace.Length > 0)
                {
                    writer.WriteAttributeString("xmlns", "q", null, name.Namespace);
                    writer.WriteAttributeString("qname", "q:" + name.Name);
                }
                else
                {
                    writer.WriteAttributeString("qname", name.Name);
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        writer.WriteStartElement(p, "Body", ns);
        if (version == SoapVersion.Soap11)
        {
            writer.WriteStartElement(p, "Fault", ns);
            writer.WriteElementString("faultcode", "soap:" + Soap11Code(fault.Code));
            writer.WriteElementString("faultstring", fault.Message);
            writer.WriteStartElement("detail");
            writer.WriteEndElement();
        }
        else
        {
            writer.WriteStartElement(p, "Fault", ns);
            writer.WriteStartElement(p, "Code", ns);
            writer.WriteElementString(p, "Value", ns, p + ":" + Soap12Code(fault.Code));
            writer.WriteEndElement();
            writer.WriteStartElement(p, "Reason", ns);
            writer.WriteStartElement(p, "Text", ns);
            writer.WriteAttributeString("xml", "lang", null, "en");
            writer.WriteString(fault.Message);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteStartElement(p, "Detail", ns);
            writer.WriteEndElement();
        }

        writer.WriteEndDocument();
    }

    /// <summary>Opens <c>Envelope</c>, declaring xsi, xsd and the envelope prefix in that order, as the seeds do.</summary>
    public static void WriteEnvelopeStart(XmlWriter writer, string prefix, SoapVersion version)
    {
        var ns = XmlNamespaces.Envelope(version);
        writer.WriteStartDocument();
        writer.WriteStartElement(prefix, "Envelope", ns);
        writer.WriteAttributeString("xmlns", "xsi", null, XmlNamespaces.Xsi);
        writer.WriteAttributeString("xmlns", "xsd", null, XmlNamespaces.Xsd);
        writer.WriteAttributeString("xmlns", prefix, null, ns);
    }

    /// <summary>A reply's envelope up to the result's start tag (<see cref="Head"/>) and from its end tag (<see cref="Tail"/>).</summary>
    internal sealed record ReplyFrame(byte[] Head, byte[] Tail);

    private static string Soap11Code(SoapFaultCode code) => code switch
    {
        SoapFaultCode.Client => "Client",
        SoapFaultCode.Server => "Server",
        SoapFaultCode.VersionMismatch => "VersionMismatch",
        SoapFaultCode.MustUnderstand => "MustUnderstand",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    private static string Soap12Code(SoapFaultCode code) => code switch
    {
        SoapFaultCode.Client => "Sender",
        SoapFaultCode.Server => "Receiver",
        SoapFaultCode.VersionMismatch => "VersionMismatch",
        SoapFaultCode.MustUnderstand => "MustUnderstand",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}
