using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobGateway.Rest.Http;

/// <summary>
/// Reads a whole request body from the request's pipe, then parses it in one synchronous call. The bodies of the
/// JSON endpoints are small and capped (the body-limit middleware: reading past the cap throws 413), and parsing
/// bytes already in memory costs a fraction of the serializer's asynchronous stream path, which suspends and
/// resumes around every buffer.
/// </summary>
public static class BufferedBody
{
    /// <summary>
    /// Reads the body to its end and returns <paramref name="parse"/>'s result over it. The bytes are the pipe's and
    /// are reused for other requests once this returns: the result must not refer to them (a JsonDocument parsed
    /// from them must be used up inside <paramref name="parse"/>).
    /// </summary>
    public static async ValueTask<T> ReadAsync<T, TState>(HttpContext context, TState state, Func<ReadOnlySequence<byte>, TState, T> parse)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parse);
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            if (read.IsCanceled)
            {
                throw new OperationCanceledException(context.RequestAborted);
            }

            if (!read.IsCompleted)
            {
                // Nothing consumed, everything examined: the next read returns once more of the body has arrived.
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                continue;
            }

            try
            {
                return parse(read.Buffer, state);
            }
            finally
            {
                reader.AdvanceTo(read.Buffer.End);
            }
        }
    }

    /// <summary>
    /// A JSON body bound with the application's JSON options, as minimal APIs bind one (the same contract, so the
    /// same names, types and errors), answering in the gateway's problem details: 415 for a body that is not JSON,
    /// 400 for an empty or malformed one, for one with members the type does not know and for a value of the wrong JSON
    /// type, each said in plain words (<see cref="JsonBodyErrors"/>).
    /// </summary>
    public static ValueTask<T?> ReadJsonAsync<T>(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        if (!context.Request.HasJsonContentType())
        {
            throw new RequestBindingException(new GatewayError(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported Media Type",
                $"Expected a supported JSON media type but got \"{context.Request.ContentType}\".",
                "unsupported_media_type"));
        }

        return ReadAsync(context, typeInfo, static (body, typeInfo) =>
        {
            if (body.IsEmpty)
            {
                throw new RequestBindingException(new GatewayError(StatusCodes.Status400BadRequest, "Bad Request", "The request body is required.", "body_required"));
            }

            try
            {
                return body.IsSingleSegment ? JsonSerializer.Deserialize(body.FirstSpan, typeInfo) : JsonSerializer.Deserialize(body.ToArray(), typeInfo);
            }
            catch (JsonException e)
            {
                throw new RequestBindingException(JsonBodyErrors.Describe(body, typeInfo, e));
            }
        });
    }
}
