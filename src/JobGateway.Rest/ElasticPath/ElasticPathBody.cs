using System.Text;
using System.Text.Json;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace JobGateway.Rest.ElasticPath;

/// <summary>
/// Reads JSON:API request bodies. Syntax is checked first (malformed JSON is a Bad Request), then the
/// document is bound (a member of the wrong type is a Validation Error naming the member's path, as
/// Elastic Path's validation errors do). The size cap is the body-limit middleware's.
/// </summary>
internal static class ElasticPathBody
{
    public const string JsonApiMediaType = "application/vnd.api+json";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    // JSON:API member names are case-sensitive and numbers are numbers.
    private static readonly JsonSerializerOptions BindOptions = new(JsonSerializerDefaults.General);

    public static async ValueTask<T?> ReadAsync<T>(HttpContext context)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsJson(context.Request.ContentType))
        {
            throw new RequestBindingException(new GatewayError(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported Media Type",
                $"Send the body as application/json or {JsonApiMediaType}.",
                "unsupported_media_type"));
        }

        if (context.Request.ContentLength == 0)
        {
            throw new RequestBindingException(new GatewayError(StatusCodes.Status400BadRequest, "Bad Request", "The request body is required.", "bad_request"));
        }

        // Parsed and bound inside the callback: a document parsed from the pipe's memory reads that memory, which
        // the pipe reuses for other requests as soon as the body is released.
        return await BufferedBody.ReadAsync(context, 0, static (body, _) => Bind<T>(body));
    }

    private static T? Bind<T>(System.Buffers.ReadOnlySequence<byte> body)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new RequestBindingException(new GatewayError(
                StatusCodes.Status400BadRequest,
                "Bad Request",
                $"The request body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).",
                "bad_request"));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("data", "the body must be a JSON object with a \"data\" member");
            }

            try
            {
                return document.RootElement.Deserialize<T>(BindOptions);
            }
            catch (JsonException e)
            {
                var path = MemberPath(e.Path);
                throw Invalid(path, $"\"{LastMember(path)}\" has the wrong type");
            }
        }
    }

    private static RequestBindingException Invalid(string path, string message) =>
        new(new GatewayError(StatusCodes.Status400BadRequest, "Validation Error", $"{path}: {message}", "validation_failed"));

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Equals(JsonApiMediaType, StringComparison.OrdinalIgnoreCase));

    // "$.data.attributes['job_type']" or "$.data.attributes.taxes[0].rate" → "data.attributes.taxes[0].rate".
    private static string MemberPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "data";
        }

        var path = new StringBuilder(jsonPath.Length);
        foreach (var c in jsonPath.AsSpan(jsonPath.StartsWith("$.", StringComparison.Ordinal) ? 2 : 1))
        {
            if (c is not ('\'' or '$'))
            {
                path.Append(c);
            }
        }

        return path.ToString().TrimStart('.');
    }

    private static string LastMember(string path)
    {
        var member = path[(path.LastIndexOf('.') + 1)..];
        var bracket = member.IndexOf('[', StringComparison.Ordinal);
        return bracket > 0 ? member[..bracket] : member;
    }
}
