using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using JobGateway.Core;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JobGateway.Rest.AccountTasks;

/// <summary>
/// The 2sms answer formats: JSON (<c>application/json</c>, <c>text/json</c>) or XML (<c>application/xml</c>,
/// <c>text/xml</c>), chosen by the Accept header when it names one, else by the request's Content-Type, else JSON.
/// The XML is what ASP.NET Web API's XmlSerializer formatter writes for these types: elements named after
/// the members in declaration order, the xsd/xsi declarations on the root, absent strings omitted and absent
/// dates <c>xsi:nil</c>.
/// </summary>
internal readonly record struct TwoSmsFormat(bool IsXml, string MediaType)
{
    public const string XsdNamespace = "http://www.w3.org/2001/XMLSchema";
    public const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    public static readonly string[] MediaTypes = ["application/json", "text/json", "application/xml", "text/xml"];

    private static readonly TwoSmsFormat Json = new(false, "application/json");

    // Parameters hold JSON or XML: the relaxed encoder keeps their quotes and brackets readable. The answer is
    // an API document, never embedded in HTML, which is all the stricter default guards against.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.General)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly XmlWriterSettings XmlSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
    };

    public static TwoSmsFormat Negotiate(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            // Highest quality first; equal qualities keep the client's order.
            foreach (var media in accepted.Where(m => m.Quality is not 0).OrderByDescending(m => m.Quality ?? 1))
            {
                if (Known(media.MediaType.Value) is { } format)
                {
                    return format;
                }

                if (media.MatchesAllTypes || media.MatchesAllSubTypes)
                {
                    break;
                }
            }
        }

        return MediaTypeHeaderValue.TryParse(request.ContentType, out var sent) && Known(sent.MediaType.Value) is { } same ? same : Json;
    }

    public async Task WriteAsync(HttpResponse response, int statusCode, object envelope)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(envelope);
        response.StatusCode = statusCode;
        response.ContentType = MediaType + "; charset=utf-8";
        if (!IsXml)
        {
            await JsonSerializer.SerializeAsync(response.Body, envelope, envelope.GetType(), JsonOptions, response.HttpContext.RequestAborted);
            return;
        }

        // Written to memory (the answer is a few kilobytes), then copied without blocking a thread on the socket.
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, XmlSettings))
        {
            writer.WriteStartDocument();
            WriteEnvelope(writer, envelope);
            writer.WriteEndDocument();
        }

        response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(response.Body, response.HttpContext.RequestAborted);
    }

    private static TwoSmsFormat? Known(string? mediaType) =>
        MediaTypes.FirstOrDefault(m => string.Equals(m, mediaType, StringComparison.OrdinalIgnoreCase)) is { } known
            ? new TwoSmsFormat(known.EndsWith("xml", StringComparison.Ordinal), known)
            : null;

    private static void WriteEnvelope(XmlWriter writer, object envelope)
    {
        switch (envelope)
        {
            case ResponseOfAccountTaskResponse single:
                WriteRoot(writer, ResponseOfAccountTaskResponse.XmlName, single.Error, single.ResponseData?.Identification, single.ResponseData?.Result, () =>
                {
                    writer.WriteStartElement("Detail");
                    WriteTaskMembers(writer, single.ResponseData!.Detail);
                    writer.WriteEndElement();
                });
                break;
            case ResponseOfArrayOfAccountTaskResponse list:
                WriteRoot(writer, ResponseOfArrayOfAccountTaskResponse.XmlName, list.Error, list.ResponseData?.Identification, list.ResponseData?.Result, () =>
                {
                    writer.WriteStartElement("Detail");
                    foreach (var task in list.ResponseData!.Detail)
                    {
                        writer.WriteStartElement(AccountTaskResponse.XmlName);
                        WriteTaskMembers(writer, task);
                        writer.WriteEndElement();
                    }

                    writer.WriteEndElement();
                });
                break;
            default:
                throw new ArgumentException($"{envelope.GetType().Name} is not a 2sms envelope.", nameof(envelope));
        }
    }

    private static void WriteRoot(XmlWriter writer, string name, AccountTaskError? error, Identification? identification, string? result, Action writeDetail)
    {
        writer.WriteStartElement(name);
        writer.WriteAttributeString("xmlns", "xsd", null, XsdNamespace);
        writer.WriteAttributeString("xmlns", "xsi", null, XsiNamespace);
        if (error is not null)
        {
            writer.WriteStartElement("Error");
            WriteText(writer, "ErrorCode", error.ErrorCode);
            WriteText(writer, "ErrorReason", error.ErrorReason);
            writer.WriteEndElement();
        }

        if (identification is not null)
        {
            writer.WriteStartElement("ResponseData");
            writer.WriteStartElement("Identification");
            WriteText(writer, "UserId", identification.UserId);
            writer.WriteEndElement();
            WriteText(writer, "Result", result);
            writeDetail();
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    private static void WriteTaskMembers(XmlWriter writer, AccountTaskResponse task)
    {
        WriteMember(writer, "ID", task.ID.ToString("D"));
        WriteMember(writer, "TaskID", task.TaskID.ToString("D"));
        WriteMember(writer, "Name", task.Name);
        WriteMember(writer, "Enabled", task.Enabled ? "true" : "false");
        WriteMember(writer, "Frequency", task.Frequency);
        WriteDate(writer, "StartDate", task.StartDate);
        WriteDate(writer, "FinishDate", task.FinishDate);
        WriteMember(writer, "Parameters", task.Parameters);
        WriteMember(writer, "ContentType", task.ContentType);
        WriteMember(writer, "Notification", task.Notification);
        WriteDate(writer, "DateCreated", task.DateCreated);
        WriteDate(writer, "DateModified", task.DateModified);
        WriteDate(writer, "LastRunOn", task.LastRunOn);
        WriteMember(writer, "LastRunBy", task.LastRunBy);
        WriteMember(writer, "LastModifiedBy", task.LastModifiedBy);
        WriteMember(writer, "Status", task.Status);
        WriteMember(writer, "ClientID", task.ClientID.ToString("D"));
    }

    // Envelope members that are absent are left out, as XmlSerializer does; a task's members are always all
    // there (xsi:nil when empty), so the XML Detail has the same members as the JSON one. Text goes through
    // XmlSafeText.Of: a task registered in JSON, or an error quoting the request, may hold what XML cannot carry.
    private static void WriteText(XmlWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteElementString(name, XmlSafeText.Of(value));
        }
    }

    private static void WriteMember(XmlWriter writer, string name, string? value)
    {
        if (value is null)
        {
            WriteNil(writer, name);
        }
        else
        {
            writer.WriteElementString(name, XmlSafeText.Of(value));
        }
    }

    private static void WriteNil(XmlWriter writer, string name)
    {
        writer.WriteStartElement(name);
        writer.WriteAttributeString("xsi", "nil", XsiNamespace, "true");
        writer.WriteEndElement();
    }

    // The same text System.Text.Json writes (ISO 8601, the offset as ±hh:mm, no trailing zeros), so a task
    // reads alike in both formats.
    private static void WriteDate(XmlWriter writer, string name, DateTimeOffset? value) =>
        WriteMember(writer, name, value?.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
}

/// <summary>A 2sms envelope in the format the caller asked for.</summary>
internal sealed class TwoSmsResult(int statusCode, object envelope, string? location = null) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => statusCode;

    public object Envelope => envelope;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (location is not null)
        {
            httpContext.Response.Headers.Location = location;
        }

        return TwoSmsFormat.Negotiate(httpContext.Request).WriteAsync(httpContext.Response, statusCode, envelope);
    }
}

/// <summary>Errors in the 2sms envelope, in the caller's format.</summary>
public sealed class TwoSmsErrorDialect(string rootName) : IErrorDialect
{
    /// <summary>Errors of the calls on one task.</summary>
    public static readonly TwoSmsErrorDialect OneTask = new(ResponseOfAccountTaskResponse.XmlName);

    /// <summary>Errors of the list call.</summary>
    public static readonly TwoSmsErrorDialect TaskList = new(ResponseOfArrayOfAccountTaskResponse.XmlName);

    public Task WriteAsync(HttpContext context, GatewayError gatewayError)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(gatewayError);
        var error = new AccountTaskError(gatewayError.Code ?? "error", gatewayError.Detail ?? gatewayError.Title);
        object envelope = rootName == ResponseOfArrayOfAccountTaskResponse.XmlName
            ? new ResponseOfArrayOfAccountTaskResponse(error, null)
            : new ResponseOfAccountTaskResponse(error, null);
        return TwoSmsFormat.Negotiate(context.Request).WriteAsync(context.Response, gatewayError.Status, envelope);
    }
}
