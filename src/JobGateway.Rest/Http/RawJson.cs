using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobGateway.Rest.Http;

/// <summary>
/// A JSON value the gateway stored as text (a job's payload or report) and writes back as it is, without parsing it
/// into a document first. Writing still checks that the text is one valid JSON value.
/// </summary>
/// <param name="Text">The JSON text.</param>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson(string Text)
{
    /// <summary>The stored text as a value to write, or null when nothing is stored.</summary>
    public static RawJson? From(string? json) => json is null ? null : new RawJson(json);
}

/// <summary>Writes <see cref="RawJson"/> verbatim (validated); reads any JSON value as its raw text.</summary>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value.Text, skipInputValidation: false);
    }
}
