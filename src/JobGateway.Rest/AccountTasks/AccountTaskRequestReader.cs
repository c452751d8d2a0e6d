using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using JobGateway.Core;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JobGateway.Rest.AccountTasks;

/// <summary>
/// Reads an <see cref="AccountTaskRequest"/> from JSON (<c>application/json</c>, <c>text/json</c>), XML
/// (<c>application/xml</c>, <c>text/xml</c>: root <c>AccountTaskRequest</c>, one element per member, as in
/// seed 002) or a form. Every member is taken as text, so a number for an enum and a name both arrive; the
/// validator judges them. XML is read without DTDs or external resources and with a size cap, on top of the
/// request body limit.
/// </summary>
internal static class AccountTaskRequestReader
{
    public const string RootName = nameof(AccountTaskRequest);

    private const int MaxXmlCharacters = 1024 * 1024;

    private static readonly string[] Members =
        [nameof(AccountTaskRequest.TaskID), nameof(AccountTaskRequest.Frequency), nameof(AccountTaskRequest.StartDate),
         nameof(AccountTaskRequest.FinishDate), nameof(AccountTaskRequest.Parameters), nameof(AccountTaskRequest.ContentType),
         nameof(AccountTaskRequest.Notification), nameof(AccountTaskRequest.Name)];

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxXmlCharacters,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    public static async ValueTask<AccountTaskRequest?> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media))
        {
            throw Unsupported();
        }

        if (request.ContentLength == 0)
        {
            throw BadRequest("The request body is required.");
        }

        var values = media.MediaType.Value?.ToLowerInvariant() switch
        {
            "application/json" or "text/json" => await ReadJsonAsync(request),
            "application/xml" or "text/xml" => await ReadXmlAsync(request),
            "application/x-www-form-urlencoded" => await ReadFormAsync(request),
            _ => throw Unsupported(),
        };

        return new AccountTaskRequest
        {
            TaskID = values.GetValueOrDefault(nameof(AccountTaskRequest.TaskID)),
            Frequency = values.GetValueOrDefault(nameof(AccountTaskRequest.Frequency)),
            StartDate = values.GetValueOrDefault(nameof(AccountTaskRequest.StartDate)),
            FinishDate = values.GetValueOrDefault(nameof(AccountTaskRequest.FinishDate)),
            Parameters = values.GetValueOrDefault(nameof(AccountTaskRequest.Parameters)),
            ContentType = values.GetValueOrDefault(nameof(AccountTaskRequest.ContentType)),
            Notification = values.GetValueOrDefault(nameof(AccountTaskRequest.Notification)),
            Name = values.GetValueOrDefault(nameof(AccountTaskRequest.Name)),
        };
    }

    /// <summary>Whether <paramref name="text"/> is a well-formed XML document, read as safely as a request.</summary>
    public static bool IsWellFormedXml(string text)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxXmlCharacters,
            });
            while (reader.Read())
            {
            }

            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private static async Task<Dictionary<string, string?>> ReadJsonAsync(HttpRequest request)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 16 }, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            throw BadRequest($"The request body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw BadRequest("The request body must be a JSON object (an AccountTaskRequest).");
            }

            // Web API's JSON formatter matched member names in any case; so does this.
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (Member(property.Name, StringComparison.OrdinalIgnoreCase) is not { } member)
                {
                    continue;
                }

                values[member] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => ReadString(property.Value, member),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => throw BadRequest($"{member} must be a string or a number, not a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}."),
                };
            }

            return values;
        }
    }

    // A string whose \u escapes make no UTF-16 text (a lone surrogate) is well-formed JSON that no .NET string can hold.
    private static string? ReadString(JsonElement value, string member)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            throw BadRequest($"{member} is not valid text: it has a \\u escape of a lone surrogate.");
        }
    }

    private static async Task<Dictionary<string, string?>> ReadXmlAsync(HttpRequest request)
    {
        // Read whole (the body limit caps it) so that a refusal can say whether the body holds a DTD: the reader's own
        // message for one tells how to turn DTD processing on in .NET.
        var document = await BufferedBody.ReadAsync(request.HttpContext, 0, static (body, _) =>
        {
            var bytes = body.ToArray();
            try
            {
                using var reader = XmlReader.Create(new MemoryStream(bytes), XmlSettings);
                return XDocument.Load(reader, LoadOptions.None);
            }
            catch (XmlException e)
            {
                throw BadRequest(XmlRefusal.Describe(e, bytes, "The request body"));
            }
        });

        var root = document.Root!;
        if (root.Name.LocalName != RootName)
        {
            throw BadRequest(string.Create(CultureInfo.InvariantCulture, $"The XML root element must be {RootName}, not {root.Name.LocalName}."));
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var element in root.Elements())
        {
            // Element names are case-sensitive, as XmlSerializer reads them; a namespace is tolerated.
            if (Member(element.Name.LocalName, StringComparison.Ordinal) is not { } member)
            {
                continue;
            }

            if (element.HasElements)
            {
                throw BadRequest($"{member} must be text; escape markup in it (&lt;…&gt;) or wrap it in CDATA.");
            }

            var nil = element.Attribute(XName.Get("nil", TwoSmsFormat.XsiNamespace))?.Value;
            values[member] = nil is "true" or "1" ? null : element.Value;
        }

        return values;
    }

    private static async Task<Dictionary<string, string?>> ReadFormAsync(HttpRequest request)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            // The form reader's limits (value count, key and value length): its message names the limit.
            throw BadRequest($"The form is too large to read: {e.Message}");
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in form)
        {
            if (Member(key, StringComparison.OrdinalIgnoreCase) is { } member)
            {
                values[member] = value.ToString();
            }
        }

        return values;
    }

    private static string? Member(string name, StringComparison comparison) =>
        Members.FirstOrDefault(m => string.Equals(m, name, comparison));

    private static RequestBindingException BadRequest(string detail) =>
        new(new GatewayError(StatusCodes.Status400BadRequest, "Bad Request", detail, "bad_request"));

    private static RequestBindingException Unsupported() =>
        new(new GatewayError(
            StatusCodes.Status415UnsupportedMediaType,
            "Unsupported Media Type",
            "Send the AccountTaskRequest as application/json, text/json, application/xml, text/xml or application/x-www-form-urlencoded.",
            "unsupported_media_type"));
}
