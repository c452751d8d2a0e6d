using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace JobGateway.Api.Tests.Properties;

/// <summary>
/// One change to a valid request, named so that a shrunk counter-example reads as the recipe to rebuild it
/// (a plain regression test starts from that name).
/// </summary>
public sealed record Edit(string Name, Func<string, string> Apply)
{
    public override string ToString() => Name;
}

/// <summary>A valid request of some kind and the edits that break it (or not): what a property is run over.</summary>
/// <param name="Variant">Which valid request to start from (a format, a service, a SOAP version...).</param>
/// <param name="Edits">Applied in order to the valid request's text.</param>
/// <param name="Headers">Request headers and the content type, chosen per case.</param>
public sealed record Mutated<TVariant>(TVariant Variant, IReadOnlyList<Edit> Edits, RequestHeaders Headers)
{
    public string Apply(string valid) => Edits.Aggregate(valid, (text, edit) => edit.Apply(text));

    public override string ToString() =>
        $"{Variant} | {Headers} | edits: [{string.Join("; ", Edits)}]";
}

/// <summary>The headers of one generated request. <c>null</c> leaves a header out.</summary>
public sealed record RequestHeaders(string? ContentType, string? Accept = null, string? SoapAction = null, string? IdempotencyKey = null)
{
    public override string ToString() =>
        $"Content-Type: {ContentType ?? "(none)"}, Accept: {Accept ?? "(none)"}"
        + (SoapAction is null ? string.Empty : $", SOAPAction: {SoapAction}")
        + (IdempotencyKey is null ? string.Empty : $", Idempotency-Key: {Show(IdempotencyKey)}");

    private static string Show(string value) => value.Length > 40 ? $"{value[..20]}…({value.Length} chars)" : value;
}

/// <summary>Generators shared by the properties: hostile text, and edits that apply to any request text.</summary>
public static class Generated
{
    /// <summary>
    /// Text that has broken parsers and writers before: control characters, lone surrogates, markup and quote
    /// characters, numbers at the edges of their types, long runs, and characters outside the BMP.
    /// </summary>
    public static readonly string[] HostileSamples =
    [
        "", " ", "\0", "\u0001", "\u001f", "\u007f", "\ud800", "\udfff", "a\ud800b", "\ufffe", "\uffff", "\u200b", "\u2028",
        "é", "ß", "İ", "😀", "\r\n", "\t", "'", "\"", "\"\"", "<", ">", "&", "&amp;", "&#0;", "&#x1;", "]]>", "<![CDATA[x]]>",
        "<a>", "</a>", "<?xml?>", "%", "%zz", "%00", "%FF", "+", "_", "*", "\\", "/", "../..", "{", "}", "[", "]", ",", ":", "(", ")",
        "null", "true", "NaN", "-1", "0", "-0", "1e309", "2147483648", "-2147483649", "9223372036854775808", "99999999999999999999",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999-14:00", "2026-02-30T00:00:00Z", "2026-01-05T09:00:00",
        "00000000-0000-0000-0000-000000000000", "{00000000-0000-0000-0000-000000000001}",
    ];

    /// <summary>Hostile samples, FsCheck's own strings (any UTF-16 code unit), and long runs.</summary>
    public static Gen<string> HostileText { get; } = Gen.Frequency(
        (5, Gen.Elements(HostileSamples)),
        (4, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)),
        (1, from c in Gen.Elements("x", "é", "<", "\"", "😀")
            from n in Gen.Elements(257, 1025, 5000, 70_000)
            select string.Concat(Enumerable.Repeat(c, n))));

    /// <summary>Edits that know nothing of the format: cut the text short, or splice something in or out.</summary>
    public static Gen<Edit> TextEdit { get; } = Gen.OneOf(
        from percent in Gen.Choose(0, 99)
        select new Edit($"truncate at {percent}%", t => t[..(t.Length * percent / 100)]),
        from percent in Gen.Choose(0, 100)
        from text in HostileText
        select new Edit($"insert {Literal(text)} at {percent}%", t => t.Insert(t.Length * percent / 100, text)),
        from percent in Gen.Choose(0, 99)
        from length in Gen.Choose(1, 40)
        select new Edit($"delete {length} chars at {percent}%", t => Delete(t, t.Length * percent / 100, length)),
        from text in Gen.Elements("", " ", "null", "[]", "{}", "\"x\"", "12", "<a/>", "\ufeff", "\0")
        select new Edit($"replace everything with {Literal(text)}", _ => text));

    /// <summary>Between 0 and <paramref name="max"/> edits drawn from <paramref name="edits"/>.</summary>
    public static Gen<IReadOnlyList<Edit>> Edits(Gen<Edit> edits, int max) =>
        from count in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, max)))
        from list in edits.ListOf(count)
        select (IReadOnlyList<Edit>)[.. list];

    /// <summary>Lists of <paramref name="min"/> to <paramref name="max"/> values of <paramref name="gen"/>.</summary>
    public static Gen<List<T>> ListOf<T>(Gen<T> gen, int min, int max) =>
        from count in Gen.Choose(min, max)
        from list in gen.ListOf(count)
        select list.ToList();

    /// <summary>An arbitrary that shrinks a case by dropping its edits one at a time.</summary>
    public static Arbitrary<Mutated<TVariant>> Arbitrary<TVariant>(Gen<Mutated<TVariant>> gen) =>
        Arb.From(gen, Shrink);

    /// <summary>The text as a C# literal, so a counter-example can be pasted into a regression test.</summary>
    public static string Literal(string text)
    {
        if (text.Length > 60 && text.Distinct().Count() == 1)
        {
            return $"new string({Literal(text[..1]).Replace('"', '\'')}, {text.Length})";
        }

        var builder = new StringBuilder("\"");
        foreach (var c in text.Length > 200 ? text[..200] : text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < 0x20 || c is >= '\u007f' and <= '\u00a0' || char.IsSurrogate(c) || c >= '\ufff0' =>
                    "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return builder.Append(text.Length > 200 ? $"\"…({text.Length} chars)" : "\"").ToString();
    }

    /// <summary>Percent-encodes the UTF-8 bytes of all but unreserved characters (a lone surrogate goes as U+FFFD's bytes).</summary>
    public static string PercentEncode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>How a generated text body is sent: UTF-8 (the usual), with a byte order mark, as UTF-16, or as Latin-1.</summary>
    public static readonly string[] BodyEncodings = ["utf-8", "utf-8+bom", "utf-16le+bom", "utf-16be", "latin-1"];

    public static byte[] Encode(string text, string encoding) => encoding switch
    {
        "utf-8" => Encoding.UTF8.GetBytes(text),
        "utf-8+bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
        "utf-16le+bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
        "utf-16be" => Encoding.BigEndianUnicode.GetBytes(text),
        "latin-1" => Encoding.Latin1.GetBytes(text),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
    };

    /// <summary>Mostly UTF-8, sometimes another of <see cref="BodyEncodings"/>.</summary>
    public static Gen<string> BodyEncoding { get; } = Gen.Frequency((6, Gen.Constant("utf-8")), (1, Gen.Elements(BodyEncodings)));

    /// <summary>Runs asynchronous work from a property body (FsCheck calls properties synchronously), off any synchronization context.</summary>
    public static void Run(Func<Task> check) => Task.Run(check).GetAwaiter().GetResult();

    private static string Delete(string text, int at, int length) => text.Remove(at, Math.Min(length, text.Length - at));

    private static IEnumerable<Mutated<TVariant>> Shrink<TVariant>(Mutated<TVariant> value)
    {
        for (var i = 0; i < value.Edits.Count; i++)
        {
            yield return value with { Edits = [.. value.Edits.Take(i), .. value.Edits.Skip(i + 1)] };
        }
    }
}
