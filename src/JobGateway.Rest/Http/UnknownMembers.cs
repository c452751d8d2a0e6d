using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Rest.Http;

/// <summary>
/// The members of a JSON body that its contract does not have. The native, admin and worker request types refuse
/// unknown members (<see cref="JsonUnmappedMemberHandling.Disallow"/>: a misspelt <c>external_ref</c> must not be
/// dropped in silence); when reading one fails, this names every such member, at every depth, so that the 400 says
/// which members were wrong and which the body may hold.
/// </summary>
internal static class UnknownMembers
{
    /// <summary>The error for <paramref name="body"/> when it has members <paramref name="typeInfo"/> does not know; else null.</summary>
    public static GatewayError? Find(ReadOnlySequence<byte> body, JsonTypeInfo typeInfo)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var unknown = new List<string>();
            Collect(document.RootElement, typeInfo, string.Empty, unknown);
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

        var comparison = typeInfo.Options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var member in element.EnumerateObject())
        {
            var memberPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
            var property = typeInfo.Properties.FirstOrDefault(p => string.Equals(p.Name, member.Name, comparison));
            if (property is null)
            {
                if (typeInfo.UnmappedMemberHandling == JsonUnmappedMemberHandling.Disallow)
                {
                    unknown.Add(memberPath);
                }
            }
            else
            {
                Collect(member.Value, typeInfo.Options.GetTypeInfo(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType), memberPath, unknown);
            }
        }
    }
}
