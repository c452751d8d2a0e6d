using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// The request timeout's answer on a SOAP service, for a timeout that fires outside an operation (while the envelope
/// is read): a <c>Server</c> fault in the request's SOAP version with HTTP 503 and <c>Retry-After</c>, or ASMX's plain
/// text for the HTTP GET/POST bindings. A timeout inside an operation is answered by <see cref="AsmxFaultTransformer"/>.
/// </summary>
public static class AsmxTimeouts
{
    public static async Task WriteFaultAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fault = SoapFaultException.RequestTimedOut();
        context.Response.Headers.RetryAfter = fault.RetryAfterSeconds!.Value.ToString(CultureInfo.InvariantCulture);
        var contentType = context.Request.ContentType ?? string.Empty;
        if (!contentType.Contains("xml", StringComparison.OrdinalIgnoreCase))
        {
            await AsmxResponses.WriteTextAsync(context, fault.HttpStatus, AsmxResponses.PlainTextContentType, fault.Message);
            return;
        }

        var version = contentType.StartsWith("application/soap+xml", StringComparison.OrdinalIgnoreCase) ? SoapVersion.Soap12 : SoapVersion.Soap11;
        await AsmxResponses.WriteFaultAsync(context, version, fault);
    }
}
