using System.Xml;
using JobGateway.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// The middleware in front of SoapCore on a service's path. SoapCore picks its encoder by media type and loads the
/// body into an <c>XDocument</c> with DTD processing on before any of its hooks runs, so what ASMX decides before
/// the envelope is read is decided here:
/// <list type="bullet">
/// <item>only <c>text/xml</c> and <c>application/soap+xml</c> are SOAP (else 415, empty);</item>
/// <item>the body is read, capped, into memory (413 fault) and checked in one forward pass of a safe
/// <see cref="XmlReader"/>: no DTD, nesting capped, well-formed to the end (400 faults);</item>
/// <item>the envelope namespace decides the version: an unknown one faults VersionMismatch, a 1.1 envelope sent as
/// <c>application/soap+xml</c> gets 415, and a 1.2 envelope sent as <c>text/xml</c> is handed to SoapCore's
/// SOAP 1.2 encoder;</item>
/// <item>a header addressed to this node, marked mustUnderstand and not read by the service faults MustUnderstand
/// before anything runs.</item>
/// </list>
/// GET requests are the service's documents: <c>?wsdl</c> and the help pages.
/// </summary>
internal sealed partial class AsmxPreflight
{
    private const string SoapXml = "application/soap+xml";
    private const string TextXml = "text/xml";

    private readonly RequestDelegate _next;
    private readonly AsmxService _service;
    private readonly SoapOptions _options;
    private readonly AsmxDocuments _documents;
    private readonly ILogger _logger;
    private readonly XmlReaderSettings _readerSettings;

    public AsmxPreflight(RequestDelegate next, AsmxService service, IOptions<SoapOptions> options, AsmxDocuments documents, ILogger<AsmxPreflight> logger)
    {
        _next = next;
        _service = service;
        _options = options.Value;
        _documents = documents;
        _logger = logger;
        _readerSettings = new XmlReaderSettings
        {
            // A DTD is how billion-laughs and external-entity bodies work; refusing it refuses both.
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = _options.MaxRequestBytes,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            CloseInput = false,
        };
    }

    public async Task InvokeAsync(HttpContext context)
    {
        // Echoed request text (fault messages, help pages) must never be sniffed into something executable.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await _documents.WriteAsync(context, _service, _next);
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals(SoapXml, StringComparison.OrdinalIgnoreCase) || mediaType.MediaType.Equals(TextXml, StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        var isSoapXml = mediaType.MediaType.Equals(SoapXml, StringComparison.OrdinalIgnoreCase);

        // Until the envelope says otherwise, faults speak the version the content type suggests.
        var version = isSoapXml ? SoapVersion.Soap12 : SoapVersion.Soap11;
        using var body = await RequestBody.ReadAsync(context.Request, _options.MaxRequestBytes, context.RequestAborted);
        if (body is null)
        {
            await AsmxResponses.WriteFaultAsync(context, version, new SoapFaultException(
                SoapFaultCode.Client, $"The request body is larger than {_options.MaxRequestBytes} bytes.", StatusCodes.Status413PayloadTooLarge));
            return;
        }

        string charset;
        try
        {
            charset = Check(body, ref version);
        }
        catch (XmlException exception)
        {
            LogMalformed(_service.Name, exception.LineNumber, exception.LinePosition);
            var message = XmlRefusal.Describe(exception, body.Span, "The request");
            await AsmxResponses.WriteFaultAsync(context, version, new SoapFaultException(SoapFaultCode.Client, message, StatusCodes.Status400BadRequest));
            return;
        }
        catch (SoapFaultException fault)
        {
            LogRejected(_service.Name, fault.Code, fault.Message);
            await AsmxResponses.WriteFaultAsync(context, version, fault);
            return;
        }

        if (version == SoapVersion.Soap11 && isSoapXml)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        if ((version == SoapVersion.Soap12 && !isSoapXml) || !string.Equals(mediaType.Charset.Value, charset, StringComparison.Ordinal))
        {
            // SoapCore reads with the encoder the media type names (ASMX accepts a 1.2 envelope under either) and
            // decodes with the charset it names; the document's own encoding, as read here, is the one that holds.
            mediaType.MediaType = version == SoapVersion.Soap12 ? SoapXml : mediaType.MediaType;
            mediaType.Charset = charset;
            context.Request.ContentType = mediaType.ToString();
        }

        context.Request.Body = body.AsStream();
        await _next(context);
    }

    /// <summary>
    /// Reads the whole body once: the envelope's version (into <paramref name="version"/> as soon as it is read, so that
    /// a fault about anything after the Envelope element speaks it), every header block addressed to this node, and
    /// well-formedness, nesting and the absence of processing instructions to the end. Throws
    /// <see cref="XmlException"/> or the fault to answer.
    /// </summary>
    private string Check(RequestBody body, ref SoapVersion version)
    {
        using var stream = body.AsStream();

        // The text reader tells which encoding the document is in (byte order mark, declaration, or UTF-8).
        // Its other settings are the ones XmlReader.Create gives: entities expanded (so an undeclared one is an error),
        // characters checked.
        using var text = new XmlTextReader(stream)
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            EntityHandling = EntityHandling.ExpandEntities,
            Normalization = true,
        };
        using var reader = XmlReader.Create(text, _readerSettings);
        if (reader.MoveToContent() != XmlNodeType.Element)
        {
            throw new XmlException("Root element is missing.");
        }

        if (!string.Equals(reader.LocalName, "Envelope", StringComparison.Ordinal))
        {
            throw SoapFaultException.Client($"The root element must be a SOAP Envelope, not {reader.LocalName}.");
        }

        version = reader.NamespaceURI switch
        {
            XmlNamespaces.Soap11Envelope => SoapVersion.Soap11,
            XmlNamespaces.Soap12Envelope => SoapVersion.Soap12,
            var other => throw new SoapFaultException(
                SoapFaultCode.VersionMismatch,
                $"Possible SOAP version mismatch: Envelope namespace {other} was unexpected. Expecting {XmlNamespaces.Soap11Envelope}."),
        };

        // The names SoapCore knows these encodings by; it reads any other as UTF-8.
        var charset = text.Encoding?.WebName switch
        {
            "utf-8" or "us-ascii" or null => "utf-8",
            "utf-16" => "utf-16LE",
            "utf-16BE" => "utf-16BE",
            "iso-8859-1" => "ISO8859-1",
            var other => throw new SoapFaultException(
                SoapFaultCode.Client, $"The request is encoded in {other}; send UTF-8, UTF-16 or ISO-8859-1.", StatusCodes.Status400BadRequest),
        };

        var envelopeNs = AsmxEnvelope.Namespace(version);
        var inHeader = false;
        List<XmlQualifiedName>? notUnderstood = null;
        while (reader.Read())
        {
            // SOAP 1.1 forbids them in a message; SoapCore fails writing one it finds in a header.
            if (reader.NodeType == XmlNodeType.ProcessingInstruction)
            {
                throw new SoapFaultException(
                    SoapFaultCode.Client, "The request contains a processing instruction inside the Envelope; SOAP messages must not contain them.", StatusCodes.Status400BadRequest);
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.Depth > _options.MaxDepth)
            {
                throw new SoapFaultException(
                    SoapFaultCode.Client, $"The request nests elements deeper than {_options.MaxDepth} levels.", StatusCodes.Status400BadRequest);
            }

            if (reader.Depth == 1)
            {
                inHeader = reader.LocalName == "Header" && reader.NamespaceURI == envelopeNs;
            }
            else if (reader.Depth == 2 && inHeader && IsNotUnderstood(reader, version, envelopeNs))
            {
                (notUnderstood ??= []).Add(new XmlQualifiedName(reader.LocalName, reader.NamespaceURI));
            }
        }

        if (notUnderstood is not null)
        {
            throw new SoapFaultException(SoapFaultCode.MustUnderstand, $"SOAP header {notUnderstood[0].Name} was not understood.")
            {
                NotUnderstood = notUnderstood,
            };
        }

        return charset;
    }

    /// <summary>A block for this node (no actor/role, or next/ultimate receiver), marked mustUnderstand, that no operation reads.</summary>
    private bool IsNotUnderstood(XmlReader reader, SoapVersion version, string envelopeNs)
    {
        if (reader.GetAttribute("mustUnderstand", envelopeNs)?.Trim() is not ("1" or "true"))
        {
            return false;
        }

        var target = reader.GetAttribute(version == SoapVersion.Soap11 ? "actor" : "role", envelopeNs);
        var forThisNode = string.IsNullOrEmpty(target)
            || (version == SoapVersion.Soap11
                ? target == XmlNamespaces.Soap11ActorNext
                : target is XmlNamespaces.Soap12RoleNext or XmlNamespaces.Soap12RoleUltimateReceiver);
        return forThisNode && !_service.UnderstoodHeaders.Contains(System.Xml.Linq.XName.Get(reader.LocalName, reader.NamespaceURI));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SOAP {Service}: malformed XML at line {Line}, position {Position}")]
    private partial void LogMalformed(string service, int line, int position);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SOAP {Service}: {Code} fault: {Reason}")]
    private partial void LogRejected(string service, SoapFaultCode code, string reason);
}
