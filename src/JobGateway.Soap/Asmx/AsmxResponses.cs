using System.Text;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Soap.Asmx;

/// <summary>Writes the answers the compatibility layer gives itself (faults before SoapCore, plain text, pages).</summary>
internal static class AsmxResponses
{
    public const string PlainTextContentType = "text/plain; charset=utf-8";
    public const string HtmlContentType = "text/html; charset=utf-8";

    public static Task WriteAsync(HttpContext context, int status, string contentType, MemoryStream buffer) =>
        WriteAsync(context, status, contentType, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));

    /// <summary>Writes <paramref name="fault"/> as an ASMX fault envelope of <paramref name="version"/>, with the fault's HTTP status.</summary>
    public static Task WriteFaultAsync(HttpContext context, SoapVersion version, SoapFaultException fault)
    {
        using var buffer = new MemoryStream(512);
        new AsmxFaultMessage(version, fault).WriteTo(buffer);
        return WriteAsync(context, fault.HttpStatus, AsmxEnvelope.ContentType(version), buffer.ToArray());
    }

    public static Task WriteTextAsync(HttpContext context, int status, string contentType, string text) =>
        WriteAsync(context, status, contentType, Encoding.UTF8.GetBytes(text));

    private static async Task WriteAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        response.Headers.XContentTypeOptions = "nosniff";
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
