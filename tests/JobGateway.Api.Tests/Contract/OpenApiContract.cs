using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Json.Schema;

namespace JobGateway.Api.Tests.Contract;

/// <summary>
/// The gateway's served OpenAPI document as a contract to check answers against: which operation a request is, and
/// whether an answer's status, content type, headers and body are what the document says. Bodies are checked with
/// JsonSchema.Net (the document's schemas are JSON Schema 2020-12, OpenAPI 3.1); XML bodies by the schemas' XML names.
/// </summary>
public sealed partial class OpenApiContract
{
    private const string ComponentsPrefix = "#/components/schemas/";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private static readonly EvaluationOptions Evaluation = new() { RequireFormatValidation = true, OutputFormat = OutputFormat.List };

    private readonly JsonObject _schemas;
    private readonly JsonObject _definitions;
    private readonly IReadOnlyList<Operation> _operations;
    private readonly ConcurrentDictionary<string, JsonSchema> _compiled = new(StringComparer.Ordinal);

    public OpenApiContract(string documentJson)
    {
        Document = JsonNode.Parse(documentJson)!.AsObject();
        _schemas = Document["components"]!["schemas"]!.AsObject();
        _definitions = RewriteReferences(_schemas.DeepClone()).AsObject();
        _operations = Document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(method => new Operation(
                method.Value!["operationId"]?.GetValue<string>() ?? $"{method.Key.ToUpperInvariant()} {path.Key}",
                method.Key.ToUpperInvariant(),
                path.Key,
                method.Value!.AsObject())))
            // Literal segments win over parameters: POST …/account/run is RunAccountTask, not an operation on a task {id}.
            .OrderByDescending(o => o.Template.Split('/').Count(s => !s.StartsWith('{')))
            .ToArray();
    }

    public JsonObject Document { get; }

    /// <summary>Every operation of the document, by operationId.</summary>
    public IEnumerable<string> OperationIds => _operations.Select(o => o.Id);

    /// <summary>The operation named <paramref name="operationId"/>.</summary>
    public Operation Named(string operationId) => _operations.Single(o => o.Id == operationId);

    /// <summary>The operation a request is, or null for paths and methods the document does not have.</summary>
    public Operation? Find(string method, string path) =>
        _operations.FirstOrDefault(o => o.Method == method && o.Pattern.IsMatch(path));

    /// <summary>What is wrong with an answer to <paramref name="operation"/>; empty when it is what the document says.</summary>
    public IReadOnlyList<string> Check(Operation operation, int status, string? contentType, Func<string, string?> header, byte[] body)
    {
        var problems = new List<string>();
        var code = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Node["responses"]?[code] is not JsonObject response)
        {
            problems.Add($"status {status} is not documented");
            return problems;
        }

        foreach (var (name, declared) in response["headers"]?.AsObject() ?? [])
        {
            var value = header(name);
            if (value is null)
            {
                if (declared!["required"]?.GetValue<bool>() == true)
                {
                    problems.Add($"the required header {name} is missing");
                }
            }
            else if (declared!["schema"]?["type"]?.GetValue<string>() == "integer" && !long.TryParse(value, CultureInfo.InvariantCulture, out _))
            {
                problems.Add($"the header {name} is '{value}', not an integer");
            }
        }

        var content = response["content"]?.AsObject();
        if (body.Length == 0)
        {
            if (content is { Count: > 0 })
            {
                problems.Add($"the body is empty where {string.Join(", ", content.Select(c => c.Key))} is documented");
            }

            return problems;
        }

        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (content is null || mediaType is null || content[mediaType] is not JsonObject media)
        {
            problems.Add($"the content type '{contentType}' is not documented for {status}");
            return problems;
        }

        var schema = media["schema"]!;
        if (mediaType.EndsWith("xml", StringComparison.Ordinal))
        {
            CheckXml(schema, body, problems);
        }
        else
        {
            CheckJson(schema, $"{operation.Id} {code} {mediaType}", body, problems);
        }

        return problems;
    }

    private void CheckJson(JsonNode schema, string key, byte[] body, List<string> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            problems.Add($"the body is not JSON: {e.Message}");
            return;
        }

        using (document)
        {
            var compiled = _compiled.GetOrAdd(key, _ => Compile(schema, key));
            var result = compiled.Evaluate(document.RootElement, Evaluation);
            if (!result.IsValid)
            {
                var errors = (result.Details ?? [])
                    .Where(d => d.Errors is { Count: > 0 })
                    .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
                    .Distinct()
                    .Take(12);
                problems.Add($"the body does not match its schema: {string.Join("; ", errors)}; body: {Truncate(document.RootElement.GetRawText())}");
            }
        }
    }

    private JsonSchema Compile(JsonNode schema, string key)
    {
        var root = RewriteReferences(schema.DeepClone());
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _definitions.DeepClone(),
            ["allOf"] = new JsonArray(root),
        };
        var id = new Uri("https://jobgateway.test/contract/" + Uri.EscapeDataString(key));
        return JsonSchema.FromText(wrapper.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, id);
    }

    private static JsonNode RewriteReferences(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToArray())
                {
                    if (name == "$ref" && value!.GetValue<string>().StartsWith(ComponentsPrefix, StringComparison.Ordinal))
                    {
                        obj["$ref"] = "#/$defs/" + value.GetValue<string>()[ComponentsPrefix.Length..];
                    }
                    else if (value is not null)
                    {
                        RewriteReferences(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        RewriteReferences(item);
                    }
                }

                break;
        }

        return node;
    }

    // XML answers: the root element has the schema's XML name, every element is a member the schema has (by its XML
    // name), lists are wrapped with their items' names, texts are of their member's type, and xsi:nil only where null is.
    private void CheckXml(JsonNode schema, byte[] body, List<string> problems)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(new MemoryStream(body));
        }
        catch (System.Xml.XmlException e)
        {
            problems.Add($"the body is not XML: {e.Message}");
            return;
        }

        var (root, rootName) = Resolve(schema);
        var expected = root["xml"]?["name"]?.GetValue<string>() ?? rootName;
        if (document.Root!.Name.LocalName != expected)
        {
            problems.Add($"the XML root is {document.Root.Name.LocalName}, not {expected}");
            return;
        }

        CheckElement(document.Root, root, document.Root.Name.LocalName, problems);
    }

    private void CheckElement(XElement element, JsonNode schema, string path, List<string> problems)
    {
        var (resolved, _) = Resolve(schema);
        if (element.Attribute(Xsi + "nil")?.Value == "true")
        {
            if (!AllowsNull(resolved))
            {
                problems.Add($"{path} is xsi:nil, but it cannot be null");
            }

            return;
        }

        var target = NonNull(resolved);
        var type = Type(target);
        if (type == "object")
        {
            var properties = target["properties"]?.AsObject() ?? [];
            foreach (var child in element.Elements())
            {
                var member = properties.FirstOrDefault(p => (Resolve(p.Value!).Schema["xml"]?["name"]?.GetValue<string>() ?? p.Key) == child.Name.LocalName);
                if (member.Value is null)
                {
                    problems.Add($"{path}/{child.Name.LocalName} is not a member of the schema");
                }
                else
                {
                    CheckElement(child, member.Value, $"{path}/{child.Name.LocalName}", problems);
                }
            }

            foreach (var required in target["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
            {
                if (!AllowsNull(Resolve(properties[required]!).Schema) && element.Element(required) is null)
                {
                    problems.Add($"{path}/{required} is required");
                }
            }
        }
        else if (type == "array")
        {
            var items = target["items"]!;
            var itemName = Resolve(items).Schema["xml"]?["name"]?.GetValue<string>() ?? items["xml"]?["name"]?.GetValue<string>();
            foreach (var child in element.Elements())
            {
                if (itemName is not null && child.Name.LocalName != itemName)
                {
                    problems.Add($"{path}/{child.Name.LocalName} is not a {itemName}");
                }

                CheckElement(child, items, $"{path}/{child.Name.LocalName}", problems);
            }
        }
        else
        {
            CheckText(element.Value, target, type, path, problems);
        }
    }

    private static void CheckText(string text, JsonNode schema, string? type, string path, List<string> problems)
    {
        var valid = type switch
        {
            "boolean" => text is "true" or "false",
            "integer" => long.TryParse(text, CultureInfo.InvariantCulture, out _),
            "number" => decimal.TryParse(text, CultureInfo.InvariantCulture, out _),
            _ => schema["format"]?.GetValue<string>() switch
            {
                "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, out _),
                "uuid" => Guid.TryParse(text, out _),
                _ => true,
            },
        };
        if (!valid || (schema["enum"] is JsonArray words && !words.Any(w => w?.GetValue<string>() == text)))
        {
            problems.Add($"{path} is '{Truncate(text)}', which its schema does not allow");
        }
    }

    // Follows $ref and a one-member allOf (a reference with XML names of its own) to the schema it names.
    private (JsonNode Schema, string? Name) Resolve(JsonNode schema)
    {
        string? name = null;
        while (true)
        {
            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                name = reference[ComponentsPrefix.Length..];
                schema = _schemas[name]!;
            }
            else if (schema["allOf"] is JsonArray { Count: 1 } allOf && schema["properties"] is null)
            {
                schema = allOf[0]!;
            }
            else
            {
                return (schema, name);
            }
        }
    }

    private JsonNode NonNull(JsonNode schema) =>
        schema["oneOf"] is JsonArray oneOf && oneOf.FirstOrDefault(o => Type(o!) != "null") is { } value ? Resolve(value).Schema : schema;

    private static bool AllowsNull(JsonNode schema) =>
        schema["type"] is JsonArray types ? types.Any(t => t?.GetValue<string>() == "null")
        : schema["oneOf"] is JsonArray oneOf && oneOf.Any(o => o?["type"]?.GetValue<string>() == "null");

    private static string? Type(JsonNode schema) =>
        schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
            JsonValue value => value.GetValue<string>(),
            _ => null,
        };

    private static string Truncate(string text) => text.Length <= 400 ? text : text[..400] + "…";

    /// <summary>One operation of the document.</summary>
    public sealed class Operation(string id, string method, string template, JsonObject node)
    {
        public string Id { get; } = id;

        public string Method { get; } = method;

        public string Template { get; } = template;

        public JsonObject Node { get; } = node;

        internal Regex Pattern { get; } = new(
            "^" + TemplateParameter().Replace(Regex.Escape(template).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+") + "/?$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>The statuses the document gives this operation.</summary>
        public IEnumerable<int> Statuses => Node["responses"]!.AsObject().Select(r => int.Parse(r.Key, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"\{[^/}]+\}")]
    private static partial Regex TemplateParameter();
}
