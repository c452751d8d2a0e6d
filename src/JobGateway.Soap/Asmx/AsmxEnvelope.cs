using System.Net;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Xml;
using SoapCore;

namespace JobGateway.Soap.Asmx;

/// <summary>A SOAP version, decided by the envelope namespace.</summary>
public enum SoapVersion
{
    /// <summary>SOAP 1.1.</summary>
    Soap11,

    /// <summary>SOAP 1.2.</summary>
    Soap12,
}

/// <summary>
/// The envelope as ASMX writes it: UTF-8 with the XML declaration, the prefix <c>soap</c> (1.1) or <c>soap12</c>
/// (1.2) as the vendor pages show, and the <c>xsi</c>/<c>xsd</c> declarations in the seeds' order.
/// </summary>
internal static class AsmxEnvelope
{
    public const string Soap11ContentType = "text/xml; charset=utf-8";
    public const string Soap12ContentType = "application/soap+xml; charset=utf-8";

    public static string Prefix(SoapVersion version) => version == SoapVersion.Soap11 ? "soap" : "soap12";

    public static string Namespace(SoapVersion version) => XmlNamespaces.Envelope(version);

    public static string ContentType(SoapVersion version) => version == SoapVersion.Soap11 ? Soap11ContentType : Soap12ContentType;

    public static SoapVersion VersionOf(MessageVersion version) =>
        version.Envelope == EnvelopeVersion.Soap11 ? SoapVersion.Soap11 : SoapVersion.Soap12;

    /// <summary>The message version of each SOAP version: no WS-Addressing, as ASMX.</summary>
    public static MessageVersion MessageVersion(SoapVersion version) =>
        System.ServiceModel.Channels.MessageVersion.CreateVersion(
            version == SoapVersion.Soap11 ? EnvelopeVersion.Soap11 : EnvelopeVersion.Soap12, AddressingVersion.None);

    /// <summary>Starts the document and opens <c>Envelope</c>, declaring xsi, xsd and the envelope prefix in that order.</summary>
    public static void WriteStart(XmlWriter writer, SoapVersion version)
    {
        var prefix = Prefix(version);
        writer.WriteStartDocument();
        writer.WriteStartElement(prefix, "Envelope", Namespace(version));
        writer.WriteAttributeString("xmlns", "xsi", null, XmlNamespaces.Xsi);
        writer.WriteAttributeString("xmlns", "xsd", null, XmlNamespaces.Xsd);
        writer.WriteAttributeString("xmlns", prefix, null, Namespace(version));
    }
}

/// <summary>SoapCore's reply message with ASMX's envelope (see <see cref="AsmxEnvelope"/>); SoapCore writes the body.</summary>
public sealed class AsmxMessage : CustomMessage
{
    private SoapVersion SoapVersion => AsmxEnvelope.VersionOf(Version);

    protected override void OnWriteStartEnvelope(XmlDictionaryWriter writer) => AsmxEnvelope.WriteStart(writer, SoapVersion);

    protected override void OnWriteStartHeaders(XmlDictionaryWriter writer) =>
        writer.WriteStartElement(AsmxEnvelope.Prefix(SoapVersion), "Header", AsmxEnvelope.Namespace(SoapVersion));

    protected override void OnWriteStartBody(XmlDictionaryWriter writer) =>
        writer.WriteStartElement(AsmxEnvelope.Prefix(SoapVersion), "Body", AsmxEnvelope.Namespace(SoapVersion));
}

/// <summary>
/// A fault as ASMX answers it: <c>faultcode</c>/<c>faultstring</c>/<c>detail</c> in SOAP 1.1,
/// <c>Code</c>/<c>Reason</c>/<c>Detail</c> in SOAP 1.2 (with a <c>NotUnderstood</c> block per header a
/// MustUnderstand fault names), and the fault's HTTP status. Both SoapCore (through
/// <see cref="AsmxFaultTransformer"/>) and the checks in front of it write faults with it.
/// </summary>
internal sealed class AsmxFaultMessage : Message
{
    private readonly SoapVersion _version;
    private readonly SoapFaultException _fault;
    private readonly MessageHeaders _headers;
    private readonly MessageProperties _properties = [];

    public AsmxFaultMessage(SoapVersion version, SoapFaultException fault)
    {
        _version = version;
        _fault = fault;
        _headers = new MessageHeaders(AsmxEnvelope.MessageVersion(version));

        // SoapCore takes the reply's HTTP status from this property.
        _properties[HttpResponseMessageProperty.Name] = new HttpResponseMessageProperty { StatusCode = (HttpStatusCode)fault.HttpStatus };
    }

    public override MessageHeaders Headers => _headers;

    public override MessageProperties Properties => _properties;

    public override MessageVersion Version => _headers.MessageVersion;

    public override bool IsFault => true;

    /// <summary>Writes the whole reply to <paramref name="output"/>, for answers given before SoapCore runs.</summary>
    public void WriteTo(Stream output)
    {
        using var writer = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), CloseOutput = false });
        WriteMessage(writer);
        writer.WriteEndDocument();
    }

    protected override void OnWriteMessage(XmlDictionaryWriter writer)
    {
        var ns = AsmxEnvelope.Namespace(_version);
        var p = AsmxEnvelope.Prefix(_version);
        AsmxEnvelope.WriteStart(writer, _version);
        if (_version == SoapVersion.Soap12 && _fault.NotUnderstood.Count > 0)
        {
            writer.WriteStartElement(p, "Header", ns);
            foreach (var name in _fault.NotUnderstood)
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
        OnWriteBodyContents(writer);
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    protected override void OnWriteBodyContents(XmlDictionaryWriter writer)
    {
        var ns = AsmxEnvelope.Namespace(_version);
        var p = AsmxEnvelope.Prefix(_version);
        writer.WriteStartElement(p, "Fault", ns);
        if (_version == SoapVersion.Soap11)
        {
            writer.WriteElementString("faultcode", p + ":" + Soap11Code(_fault.Code));
            writer.WriteElementString("faultstring", _fault.Message);
            writer.WriteStartElement("detail");
            writer.WriteEndElement();
        }
        else
        {
            writer.WriteStartElement(p, "Code", ns);
            writer.WriteElementString(p, "Value", ns, p + ":" + Soap12Code(_fault.Code));
            writer.WriteEndElement();
            writer.WriteStartElement(p, "Reason", ns);
            writer.WriteStartElement(p, "Text", ns);
            writer.WriteAttributeString("xml", "lang", null, "en");
            writer.WriteString(_fault.Message);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteStartElement(p, "Detail", ns);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

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
