using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using JobGateway.Core;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Rest.Http;

/// <summary>
/// What was wrong with a JSON body the serializer refused, in the client's words rather than the serializer's (which
/// names .NET types and reader positions): malformed JSON with its line and byte, members the contract does not have,
/// or a member whose value has the wrong JSON type, named by its path. The native, admin and worker request types
/// refuse unknown members (<see cref="JsonUnmappedMemberHandling.Disallow"/>: a misspelt <c>external_ref</c> must not
/// be dropped in silence); the error names every such member, at every depth, and the members the body may hold.
/// </summary>
internal static class JsonBodyErrors
{
    /// <summary>The error to answer for <paramref name="body"/>, which <paramref name="exception"/> says <paramref name="typeInfo"/> cannot read.</summary>
    public static GatewayError Describe(ReadOnlySequence<byte> body, JsonTypeInfo typeInfo, JsonException exception)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException syntax)
        {
            return Malformed(syntax);
        }

        using (document)
        {
            return UnknownMembers(document.RootElement, typeInfo) ?? WrongType(typeInfo, exception.Path);
        }
    }

    private static GatewayError? UnknownMembers(JsonElement root, JsonTypeInfo typeInfo)
    {
        var found = new List<string>();
        Collect(root, typeInfo, string.Empty, found);

        // A member may be sent twice; it is named once.
        var unknown = found.Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0)
        {
            return null;
        }

        var known = string.Join(", ", typeInfo.Properties.Select(p => p.Name));
        var names = string.Join(", ", unknown.Select(u => $"'{u}'"));
        return new GatewayError(
            StatusCodes.Status400BadRequest,
            "Bad Request",
            $"The request body has members this endpoint does not know: {names}. The body's members are: {known}.",
            "unknown_member",
            unknown.ToDictionary(u => u, u => new[] { $"'{u}' is not a member of this request." }, StringComparer.Ordinal));
    }

    private static void Collect(JsonElement element, JsonTypeInfo typeInfo, string path, List<string> unknown)
    {
        if (element.ValueKind == JsonValueKind.Array && typeInfo.Kind == JsonTypeInfoKind.Enumerable && typeInfo.ElementType is { } elementType)
        {
            var items = typeInfo.Options.GetTypeInfo(elementType);
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, items, $"{path}[{index++}]", unknown);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object || typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var member in element.EnumerateObject())
        {
            var memberPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
            if (Property(typeInfo, member.Name) is not { } property)
            {
                if (typeInfo.UnmappedMemberHandling == JsonUnmappedMemberHandling.Disallow)
                {
                    unknown.Add(memberPath);
                }
            }
            else
            {
                Collect(member.Value, TypeInfoOf(typeInfo, property.PropertyType), memberPath, unknown);
            }
        }
    }

    // The serializer's path of the value it could not convert ("$.error.code", "$.jobs[0].id", "$['a b']"), followed
    // through the contract to the type it expected there.
    private static GatewayError WrongType(JsonTypeInfo root, string? jsonPath)
    {
        var path = new System.Text.StringBuilder();
        JsonTypeInfo? typeInfo = root;
        foreach (var (name, index) in Segments(jsonPath ?? "$"))
        {
            if (name is not null)
            {
                var property = typeInfo is { Kind: JsonTypeInfoKind.Object } ? Property(typeInfo, name) : null;
                path.Append(path.Length == 0 ? string.Empty : ".").Append(property?.Name ?? name);
                typeInfo = property is null ? null : TypeInfoOf(typeInfo!, property.PropertyType);
            }
            else
            {
                path.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
                typeInfo = typeInfo is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } element } ? TypeInfoOf(typeInfo, element) : null;
            }
        }

        var expected = typeInfo is null ? null : Expected(typeInfo);
        if (path.Length == 0)
        {
            return BadRequest($"The request body must be {expected ?? "a JSON object"}.");
        }

        var member = path.ToString();
        var message = expected is null ? $"'{member}' has a value of the wrong type." : $"'{member}' must be {expected}.";
        return new GatewayError(StatusCodes.Status400BadRequest, "Bad Request", message, "bad_request",
            new Dictionary<string, string[]>(StringComparer.Ordinal) { [member] = [message] });
    }

    // JSON's own kinds first; a UUID or an instant travels as a string, and the words say so.
    private static string? Expected(JsonTypeInfo typeInfo) => typeInfo.Kind switch
    {
        JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "a JSON object",
        JsonTypeInfoKind.Enumerable => "a JSON array",
        _ => (Nullable.GetUnderlyingType(typeInfo.Type) ?? typeInfo.Type) is var type && (type == typeof(Guid) || type == typeof(DateTimeOffset) || type == typeof(DateTime))
            ? $"{ValueKinds.Describe(type)} string"
            : ValueKinds.Describe(type),
    };

    private static IEnumerable<(string? Name, int Index)> Segments(string jsonPath)
    {
        var i = jsonPath.StartsWith('$') ? 1 : 0;
        while (i < jsonPath.Length)
        {
            if (jsonPath[i] == '.')
            {
                var end = jsonPath.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? jsonPath.Length : end;
                yield return (jsonPath[(i + 1)..end], 0);
                i = end;
            }
            else if (jsonPath.AsSpan(i).StartsWith("['"))
            {
                var end = jsonPath.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? jsonPath.Length : end;
                yield return (jsonPath[(i + 2)..end], 0);
                i = end + 2;
            }
            else if (jsonPath[i] == '[')
            {
                var end = jsonPath.IndexOf(']', i);
                end = end < 0 ? jsonPath.Length : end;
                yield return (null, int.TryParse(jsonPath.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0);
                i = end + 1;
            }
            else
            {
                yield break;
            }
        }
    }

    private static JsonPropertyInfo? Property(JsonTypeInfo typeInfo, string name)
    {
        var comparison = typeInfo.Options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return typeInfo.Properties.FirstOrDefault(p => string.Equals(p.Name, name, comparison));
    }

    private static JsonTypeInfo TypeInfoOf(JsonTypeInfo parent, Type type) =>
        parent.Options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);

    /// <summary>A body that is not JSON at all, said by its position (the reader's own message names .NET types).</summary>
    public static GatewayError Malformed(JsonException syntax) =>
        BadRequest($"The request body is not valid JSON (line {(syntax.LineNumber ?? 0) + 1}, byte {(syntax.BytePositionInLine ?? 0) + 1}).");

    private static GatewayError BadRequest(string detail) =>
        new(StatusCodes.Status400BadRequest, "Bad Request", detail, "bad_request");
}
