using System.Xml;
using JobGateway.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace JobGateway.Soap.Engine;

/// <summary>
/// Serves one service: SOAP 1.1 and 1.2 POSTs, the HTTP GET/POST bindings, the WSDL and the help pages.
/// One instance per service, created when the service is mapped.
/// </summary>
internal sealed partial class SoapServiceEndpoint
{
    private const string PlainTextContentType = "text/plain; charset=utf-8";
    private const string HtmlContentType = "text/html; charset=utf-8";
    private const string FormContentType = "application/x-www-form-urlencoded";

    private readonly SoapDispatchTable _table;
    private readonly SoapOptions _options;
    private readonly SoapAddressResolver _addresses;
    private readonly ILogger _logger;
    private readonly XmlReaderSettings _readerSettings;
    private readonly Dictionary<SoapOperation, SoapMessageWriter.ReplyFrame[]> _replyFrames;

    public SoapServiceEndpoint(SoapDispatchTable table, SoapOptions options, SoapAddressResolver addresses, ILogger<SoapServiceEndpoint> logger)
    {
        _table = table;
        _options = options;
        _addresses = addresses;
        _logger = logger;
        _readerSettings = new XmlReaderSettings
        {
            // A DTD is how billion-laughs and external-entity bodies work; refusing it refuses both.
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = options.MaxRequestBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        _replyFrames = table.Service.Operations.ToDictionary(
            operation => operation,
            operation => new[]
            {
                SoapMessageWriter.Frame(SoapVersion.Soap11, table.Service, operation),
                SoapMessageWriter.Frame(SoapVersion.Soap12, table.Service, operation),
            });
    }

    private SoapServiceDescription Service => _table.Service;

    /// <summary><c>GET /x.asmx</c>: the description pages; <c>POST /x.asmx</c>: a SOAP request.</summary>
    public Task HandleServiceAsync(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) ? DescribeAsync(context) : HandleSoapAsync(context);

    /// <summary><c>/x.asmx/{operation}</c>: the HTTP GET and POST bindings.</summary>
    public async Task HandleOperationUrlAsync(HttpContext context)
    {
        var name = context.GetRouteValue("operation") as string ?? string.Empty;
        var isGet = HttpMethods.IsGet(context.Request.Method);
        if (!Service.Bindings.HasFlag(isGet ? SoapBindings.HttpGet : SoapBindings.HttpPost))
        {
            await WritePlainErrorAsync(context, $"Request format is unrecognized for URL unexpectedly ending in '/{name}'.");
            return;
        }

        if (_table.ByName(name) is not { } operation)
        {
            await WritePlainErrorAsync(context, $"{name} Web Service method name is not valid.");
            return;
        }

        SoapArguments arguments;
        if (isGet)
        {
            var query = context.Request.Query;
            arguments = SoapArguments.From(operation.Parameters, key => FirstOrNull(query[key]));
        }
        else
        {
            var contentType = context.Request.ContentType;
            if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
                || !mediaType.MediaType.Equals(FormContentType, StringComparison.OrdinalIgnoreCase))
            {
                await WritePlainErrorAsync(context, $"Request format is invalid: {contentType}.");
                return;
            }

            using var body = await RequestBody.ReadAsync(context.Request, _options.MaxRequestBytes, context.RequestAborted);
            if (body is null)
            {
                await WritePlainErrorAsync(context, TooLargeMessage, StatusCodes.Status413PayloadTooLarge);
                return;
            }

            Dictionary<string, StringValues> form;
            try
            {
                using var reader = new FormReader(body.AsStream());
                form = await reader.ReadFormAsync(context.RequestAborted);
            }
            catch (InvalidDataException)
            {
                await WritePlainErrorAsync(context, $"Request format is invalid: {contentType}.");
                return;
            }

            arguments = SoapArguments.From(operation.Parameters, key => form.TryGetValue(key, out var values) ? FirstOrNull(values) : null);
        }

        try
        {
            var result = await operation.InvokeAsync(context.RequestServices, arguments, context.RequestAborted);
            using var buffer = new MemoryStream(512);
            SoapMessageWriter.WritePlainXml(buffer, Service, operation, result);
            await WriteAsync(context, StatusCodes.Status200OK, SoapMessageWriter.Soap11ContentType, buffer);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            await WritePlainErrorAsync(context, ToFault(exception, operation).Message);
        }
    }

    private async Task DescribeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var address = _addresses.BaseUrl(context.Request) + Service.Path;
        using var buffer = new MemoryStream(8192);
        if (query.ContainsKey("wsdl"))
        {
            WsdlWriter.Write(buffer, Service, address);
            await WriteAsync(context, StatusCodes.Status200OK, SoapMessageWriter.Soap11ContentType, buffer);
            return;
        }

        string html;
        var status = StatusCodes.Status200OK;
        if (query.TryGetValue("op", out var op))
        {
            var name = op.ToString();
            if (_table.ByName(name) is { } operation)
            {
                html = HelpPageWriter.OperationPage(Service, operation, new Uri(address));
            }
            else
            {
                html = HelpPageWriter.UnknownOperationPage(Service, name);
                status = StatusCodes.Status404NotFound;
            }
        }
        else
        {
            html = HelpPageWriter.ServicePage(Service);
        }

        using (var text = new StreamWriter(buffer, leaveOpen: true))
        {
            await text.WriteAsync(html);
        }

        await WriteAsync(context, status, HtmlContentType, buffer);
    }

    private async Task HandleSoapAsync(HttpContext context)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        var isSoapXml = mediaType.MediaType.Equals("application/soap+xml", StringComparison.OrdinalIgnoreCase);
        if (!isSoapXml && !mediaType.MediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        // Until the envelope says otherwise, faults speak the version the content type suggests.
        var version = isSoapXml ? SoapVersion.Soap12 : SoapVersion.Soap11;
        using var body = await RequestBody.ReadAsync(context.Request, _options.MaxRequestBytes, context.RequestAborted);
        if (body is null)
        {
            await WriteFaultAsync(context, version, new SoapFaultException(SoapFaultCode.Client, TooLargeMessage, StatusCodes.Status413PayloadTooLarge));
            return;
        }

        if ((TryReadFast(context.Request, body, isSoapXml, mediaType)
                ?? await ReadWithXmlReaderAsync(context, body, version, isSoapXml, mediaType)) is not { } request)
        {
            // The XmlReader lane has answered already (a fault, or 415).
            return;
        }

        (version, var operation, var arguments) = request;

        SoapResult result;
        try
        {
            result = await operation.InvokeAsync(context.RequestServices, arguments, context.RequestAborted);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            await WriteFaultAsync(context, version, ToFault(exception, operation));
            return;
        }

        using (var reply = new SoapReplyBuffer())
        {
            var frame = _replyFrames[operation][version == SoapVersion.Soap11 ? 0 : 1];
            if (SoapMessageWriter.TryWriteResponse(reply, frame, result))
            {
                await WriteAsync(context, StatusCodes.Status200OK, SoapMessageWriter.ContentType(version), reply.WrittenMemory);
                return;
            }
        }

        using var buffer = new MemoryStream(1024);
        SoapMessageWriter.WriteResponse(buffer, version, Service, operation, result);
        await WriteAsync(context, StatusCodes.Status200OK, SoapMessageWriter.ContentType(version), buffer);
    }

    /// <summary>
    /// The envelope read by the <see cref="XmlReader"/> lane, which decides everything the fast lane left to it;
    /// null when it has answered the request itself (a fault in <paramref name="version"/> until the envelope
    /// names its own, or 415).
    /// </summary>
    private async Task<(SoapVersion Version, SoapOperation Operation, SoapArguments Arguments)?> ReadWithXmlReaderAsync(
        HttpContext context, RequestBody body, SoapVersion version, bool isSoapXml, MediaTypeHeaderValue mediaType)
    {
        try
        {
            using var stream = body.AsStream();
            using var reader = XmlReader.Create(stream, _readerSettings);
            version = SoapEnvelopeReader.ReadVersion(reader);
            if (version == SoapVersion.Soap11 && isSoapXml)
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return null;
            }

            if (!Offers(version))
            {
                throw new SoapFaultException(SoapFaultCode.VersionMismatch, $"This service does not offer {(version == SoapVersion.Soap11 ? "SOAP 1.1" : "SOAP 1.2")}.");
            }

            var selected = SelectByAction(context.Request, version, mediaType);
            var (operation, arguments) = SoapEnvelopeReader.ReadEnvelope(reader, version, selected, _table, _options.MaxDepth);
            return (version, operation, arguments);
        }
        catch (XmlException exception)
        {
            LogMalformed(Service.Name, exception.LineNumber, exception.LinePosition);
            var message = body.Span.IndexOf("<!DOCTYPE"u8) >= 0
                ? "The request contains a DTD; DTDs are not allowed."
                : exception.LineNumber > 0
                    ? $"The request is not well-formed XML (line {exception.LineNumber}, position {exception.LinePosition})."
                    : "The request is not well-formed XML.";
            await WriteFaultAsync(context, version, new SoapFaultException(SoapFaultCode.Client, message, StatusCodes.Status400BadRequest));
            return null;
        }
        catch (SoapFaultException fault)
        {
            LogRejected(Service.Name, fault.Code, fault.Message);
            await WriteFaultAsync(context, version, fault);
            return null;
        }
    }

    private bool Offers(SoapVersion version) =>
        Service.Bindings.HasFlag(version == SoapVersion.Soap11 ? SoapBindings.Soap11 : SoapBindings.Soap12);

    /// <summary>
    /// The envelope on the fast lane (<see cref="SoapFastEnvelopeReader"/>), when it is plain and everything about it
    /// is in order; null sends it to the full reader, which then decides (and words any fault).
    /// </summary>
    private (SoapVersion Version, SoapOperation Operation, SoapArguments Arguments)? TryReadFast(
        HttpRequest request, RequestBody body, bool isSoapXml, MediaTypeHeaderValue mediaType)
    {
        if (SoapFastEnvelopeReader.TryRead(body.Span, _table) is not { } envelope
            || (envelope.Version == SoapVersion.Soap11 && isSoapXml)
            || !Offers(envelope.Version))
        {
            return null;
        }

        SoapOperation? selected;
        try
        {
            selected = SelectByAction(request, envelope.Version, mediaType);
        }
        catch (SoapFaultException)
        {
            return null;
        }

        if (selected is not null && !ReferenceEquals(selected, envelope.Operation))
        {
            return null;
        }

        Dictionary<SoapHeader, SoapArguments>? headers = null;
        foreach (var (header, values) in envelope.Headers ?? [])
        {
            if (envelope.Operation.Headers.Contains(header))
            {
                (headers ??= [])[header] = new SoapArguments(header.Fields, values);
            }
        }

        return (envelope.Version, envelope.Operation, new SoapArguments(envelope.Operation.Parameters, envelope.Values, headers));
    }

    /// <summary>
    /// SOAP 1.1 names the operation in the SOAPAction header, SOAP 1.2 in the content type's action parameter.
    /// Without one, the body element decides; with an unknown one, the request faults.
    /// </summary>
    private SoapOperation? SelectByAction(HttpRequest request, SoapVersion version, MediaTypeHeaderValue mediaType)
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
            var parameter = mediaType.Parameters.FirstOrDefault(p => p.Name.Equals("action", StringComparison.OrdinalIgnoreCase));
            action = parameter is null ? null : HeaderUtilities.RemoveQuotes(parameter.Value).ToString();
            source = "the action parameter";
        }

        if (string.IsNullOrEmpty(action))
        {
            return null;
        }

        return _table.ByAction(action) ?? throw SoapFaultException.Client($"Server did not recognize the value of {source}: {action}.");
    }

    /// <summary>What the caller is told about an exception: its own fault, a domain rule, or nothing internal.</summary>
    private SoapFaultException ToFault(Exception exception, SoapOperation operation)
    {
        switch (exception)
        {
            case SoapFaultException fault:
                LogRejected(Service.Name, fault.Code, fault.Message);
                return fault;
            case DomainException domain:
                LogRejected(Service.Name, SoapFaultCode.Client, domain.Message);
                return SoapFaultException.Client(domain.Message);
            default:
                LogFailed(exception, Service.Name, operation.Name);
                return new SoapFaultException(SoapFaultCode.Server, "Server was unable to process request.");
        }
    }

    private string TooLargeMessage => $"The request body is larger than {_options.MaxRequestBytes} bytes.";

    private static async Task WriteFaultAsync(HttpContext context, SoapVersion version, SoapFaultException fault)
    {
        using var buffer = new MemoryStream(512);
        SoapMessageWriter.WriteFault(buffer, version, fault);
        await WriteAsync(context, fault.HttpStatus, SoapMessageWriter.ContentType(version), buffer);
    }

    private static async Task WritePlainErrorAsync(HttpContext context, string message, int status = StatusCodes.Status500InternalServerError)
    {
        using var buffer = new MemoryStream(256);
        using (var text = new StreamWriter(buffer, leaveOpen: true))
        {
            await text.WriteAsync(message);
        }

        await WriteAsync(context, status, PlainTextContentType, buffer);
    }

    private static Task WriteAsync(HttpContext context, int status, string contentType, MemoryStream buffer) =>
        WriteAsync(context, status, contentType, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));

    private static async Task WriteAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;

        // Echoed request text must never be sniffed into something executable.
        response.Headers.XContentTypeOptions = "nosniff";
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static string? FirstOrNull(StringValues values) => values.Count == 0 ? null : values[0];

    [LoggerMessage(Level = LogLevel.Debug, Message = "SOAP {Service}: malformed XML at line {Line}, position {Position}")]
    private partial void LogMalformed(string service, int line, int position);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SOAP {Service}: {Code} fault: {Reason}")]
    private partial void LogRejected(string service, SoapFaultCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "SOAP {Service}: operation {Operation} failed")]
    private partial void LogFailed(Exception exception, string service, string operation);
}
