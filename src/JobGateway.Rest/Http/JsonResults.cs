using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JobGateway.Rest.Http;

/// <summary>
/// A JSON response body written in one synchronous pass into the response's pipe, with the application's JSON
/// options (so byte for byte what <see cref="TypedResults"/> writes), then flushed once. The framework's results
/// serialize through the serializer's asynchronous pipe path and resolve a logger per response; these hot
/// responses are small. Status, headers and the API description are those of the result it stands for.
/// </summary>
/// <typeparam name="T">The body's type.</typeparam>
public abstract class JsonBodyResult<T> : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IContentTypeHttpResult
{
    private protected JsonBodyResult(int statusCode, T value, string? location)
    {
        StatusCode = statusCode;
        Value = value;
        Location = location;
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    /// <summary>The body.</summary>
    public T Value { get; }

    object? IValueHttpResult.Value => Value;

    /// <summary>The Location header, if any.</summary>
    public string? Location { get; }

    /// <summary>The content type written.</summary>
    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }

        response.ContentType = ContentType;
        var options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        Write(response, options);
        var flushed = response.BodyWriter.FlushAsync(httpContext.RequestAborted);
        return flushed.IsCompletedSuccessfully ? Task.CompletedTask : flushed.AsTask();
    }

    /// <summary>Writes <see cref="Value"/> as <paramref name="options"/> serialize it (what the response body gets).</summary>
    internal void Write(HttpResponse response, JsonSerializerOptions options)
    {
        using var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions(options));
        if (Value is IHandWrittenJson handWritten)
        {
            handWritten.WriteTo(writer);
            return;
        }

        JsonSerializer.Serialize(writer, Value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
    }

    // The writer settings the serializer derives from its options.
    private static JsonWriterOptions WriterOptions(JsonSerializerOptions options) => new()
    {
        Encoder = options.Encoder,
        Indented = options.WriteIndented,
        IndentCharacter = options.IndentCharacter,
        IndentSize = options.IndentSize,
        NewLine = options.NewLine,
        MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
        SkipValidation = true,
    };

    private protected static void Describe(EndpointBuilder builder, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(T), ["application/json"]));
    }
}

/// <summary>
/// A hot response body that writes its own JSON: the bytes the serializer writes for it with the web defaults
/// (camel-case names, every property, nulls included, in declaration order), without the serializer's per-property
/// metadata walk. A test holds each such writer to the serializer's output.
/// </summary>
internal interface IHandWrittenJson
{
    void WriteTo(Utf8JsonWriter writer);
}

/// <summary>200 with a JSON body (what <see cref="Ok{TValue}"/> answers).</summary>
public sealed class JsonOk<T>(T value) : JsonBodyResult<T>(StatusCodes.Status200OK, value, null), IEndpointMetadataProvider
{
    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status200OK);
}

/// <summary>201 with a Location and a JSON body (what <see cref="Created{TValue}"/> answers).</summary>
public sealed class JsonCreated<T>(string location, T value) : JsonBodyResult<T>(StatusCodes.Status201Created, value, location), IEndpointMetadataProvider
{
    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status201Created);
}

/// <summary>202 with a Location and a JSON body (what <see cref="Accepted{TValue}"/> answers).</summary>
public sealed class JsonAccepted<T>(string location, T value) : JsonBodyResult<T>(StatusCodes.Status202Accepted, value, location), IEndpointMetadataProvider
{
    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status202Accepted);
}

/// <summary>Factories, as <see cref="TypedResults"/> has them.</summary>
public static class JsonResults
{
    public static JsonOk<T> Ok<T>(T value) => new(value);

    public static JsonCreated<T> Created<T>(string location, T value) => new(location, value);

    public static JsonAccepted<T> Accepted<T>(string location, T value) => new(location, value);
}
