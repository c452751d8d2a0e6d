using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// What a service answers to GET: <c>?wsdl</c> (SoapCore's WSDL, completed by <see cref="AsmxWsdl"/>), the
/// operation list, and <c>?op=NAME</c> sample pages.
/// </summary>
internal sealed class AsmxDocuments(SoapAddressResolver addresses)
{
    private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    private static readonly XmlWriterSettings WsdlSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        IndentChars = "  ",
    };

    public async Task WriteAsync(HttpContext context, AsmxService service, RequestDelegate soapCore)
    {
        var query = context.Request.Query;
        var address = addresses.BaseUrl(context.Request) + service.Path;
        if (query.ContainsKey("wsdl"))
        {
            var wsdl = AsmxWsdl.Complete(await SoapCoreWsdlAsync(context, soapCore), service, address);
            using var buffer = new MemoryStream(16 * 1024);
            using (var writer = XmlWriter.Create(buffer, WsdlSettings))
            {
                wsdl.Save(writer);
            }

            await AsmxResponses.WriteAsync(context, StatusCodes.Status200OK, AsmxEnvelope.Soap11ContentType, buffer);
            return;
        }

        string html;
        var status = StatusCodes.Status200OK;
        if (query.TryGetValue("op", out var op))
        {
            var name = op.ToString();
            if (service.ByName(name) is { } operation)
            {
                html = AsmxHelpPages.OperationPage(service, operation, new Uri(address));
            }
            else
            {
                html = AsmxHelpPages.UnknownOperationPage(service, name);
                status = StatusCodes.Status404NotFound;
            }
        }
        else
        {
            html = AsmxHelpPages.ServicePage(service);
        }

        await AsmxResponses.WriteTextAsync(context, status, AsmxResponses.HtmlContentType, html);
    }

    /// <summary>The WSDL SoapCore generates from the contract, captured instead of sent.</summary>
    private static async Task<XDocument> SoapCoreWsdlAsync(HttpContext context, RequestDelegate soapCore)
    {
        var body = context.Features.Get<IHttpResponseBodyFeature>();
        using var captured = new MemoryStream(16 * 1024);
        var capture = new StreamResponseBodyFeature(captured);
        context.Features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await soapCore(context);
            await capture.CompleteAsync();
        }
        finally
        {
            context.Features.Set(body);
        }

        captured.Position = 0;
        using var reader = XmlReader.Create(captured, ReaderSettings);
        return XDocument.Load(reader);
    }
}
