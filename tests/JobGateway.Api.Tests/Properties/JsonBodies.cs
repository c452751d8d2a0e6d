using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace JobGateway.Api.Tests.Properties;

/// <summary>
/// JSON request bodies as member lists, and edits of their top-level members. Values are raw JSON text, so an edit
/// can put in what no serializer writes: lone surrogate escapes, numbers past every type, nesting past any limit.
/// An edit of a body that is no longer a JSON object (an earlier edit broke it) leaves it as it is.
/// </summary>
public static class JsonBodies
{
    /// <summary>Raw JSON values of every kind, hostile ones included.</summary>
    public static Gen<string> Value { get; } = Gen.Frequency(
        (5, Generated.HostileText.Select(Quote)),
        (1, Generated.HostileText.Select(QuoteRaw)),
        (2, Gen.Elements("0", "-1", "1.5", "1e309", "-1e-400", "2147483648", "99999999999999999999999", "-0", "true", "false", "null")),
        (2, Gen.Elements("{}", "[]", "[1,\"a\",null]", """{"a":[1,2,{"b":null}]}""", """{"k":"\ud800"}""")),
        (1, from depth in Gen.Elements(10, 63, 64, 65, 200, 5000)
            from open in Gen.Elements("[", "{\"a\":")
            select Nest(open, depth)),
        (1, from count in Gen.Elements(100, 2000)
            select "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"m{i}\":{i}")) + "}"));

    /// <summary>The body of <paramref name="members"/>, in order.</summary>
    public static string Render(IEnumerable<(string Name, string Value)> members) =>
        "{" + string.Join(",", members.Select(m => Quote(m.Name) + ":" + m.Value)) + "}";

    /// <summary>A JSON string for <paramref name="text"/>: quotes, backslashes and everything outside printable ASCII escaped as <c>\uXXXX</c>.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder("\"", text.Length + 2);
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c < 0x20 || c > 0x7e)
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Edits of the members named <paramref name="names"/> (and of unknown ones).</summary>
    public static Gen<Edit> MemberEdit(params string[] names)
    {
        var name = Gen.Frequency(
            (6, Gen.Elements(names)),
            (1, Gen.Elements(names).Select(n => n.ToUpperInvariant())),
            (1, Gen.Elements("extra", "Id", "status", "")));
        return Gen.OneOf(
            from n in name
            from value in Value
            select new Edit($"set {n} to {Generated.Literal(value)}", t => Change(t, members => Set(members, n, value))),
            from n in name
            select new Edit($"remove {n}", t => Change(t, members => members.RemoveAll(m => m.Name == n))),
            from n in name
            from value in Value
            select new Edit($"add a second {n}: {Generated.Literal(value)}", t => Change(t, members => members.Add((n, value)))));
    }

    // Unescaped: a raw control character or a lone surrogate (sent as UTF-8, so as U+FFFD) inside the quotes.
    private static string QuoteRaw(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Nest(string open, int depth) =>
        string.Concat(Enumerable.Repeat(open, depth)) + "1" + new string(open == "[" ? ']' : '}', depth);

    private static void Set(List<(string Name, string Value)> members, string name, string value)
    {
        var at = members.FindIndex(m => m.Name == name);
        if (at >= 0)
        {
            members[at] = (name, value);
        }
        else
        {
            members.Add((name, value));
        }
    }

    private static string Change(string body, Action<List<(string Name, string Value)>> change)
    {
        if (!TryRead(body, out var members))
        {
            return body;
        }

        change(members);
        return Render(members);
    }

    private static bool TryRead(string body, out List<(string Name, string Value)> members)
    {
        members = [];
        var bytes = Encoding.UTF8.GetBytes(body);
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 100_000 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                members.Add((name, Encoding.UTF8.GetString(bytes, start, end - start)));
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
