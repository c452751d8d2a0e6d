using System.Security;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace JobGateway.Api.Tests.Properties;

/// <summary>
/// Edits of XML request text by element name: new text (escaped, or raw markup), removed, doubled, nil, in CDATA or
/// with a child; and edits of the document around them: declarations with other encodings, a DTD, comments,
/// processing instructions, deep nesting. They work on the text, so they also apply to a document an earlier edit
/// broke (an element that is no longer found is left alone).
/// </summary>
public static class XmlBodies
{
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>Edits of the elements named <paramref name="names"/>.</summary>
    public static Gen<Edit> ElementEdit(params string[] names)
    {
        var name = Gen.Elements(names);
        return Gen.OneOf(
            from n in name
            from text in Generated.HostileText
            select new Edit($"set {n} to {Generated.Literal(text)}", t => Content(t, n, _ => SecurityElement.Escape(text))),
            from n in name
            from raw in Gen.Elements("<x/>", "<x>1</x>", "&undefined;", "&#0;", "&#xD800;", "<", "]]>", "<!-- c -->", "<?pi x?>")
            select new Edit($"set {n} to the markup {Generated.Literal(raw)}", t => Content(t, n, _ => raw)),
            from n in name
            select new Edit($"remove {n}", t => Element(t, n, _ => string.Empty)),
            from n in name
            select new Edit($"double {n}", t => Element(t, n, m => m + m)),
            from n in name
            from value in Gen.Elements("true", "1", "false", "yes")
            select new Edit($"make {n} xsi:nil=\"{value}\"", t => Element(t, n, _ => $"<{n} xmlns:xsi=\"{XsiNamespace}\" xsi:nil=\"{value}\" />")),
            from n in name
            select new Edit($"wrap {n} in CDATA", t => Content(t, n, c => "<![CDATA[" + c + "]]>")),
            from n in name
            from ns in Gen.Elements("", "urn:other", "http://www.w3.org/2001/XMLSchema-instance")
            select new Edit($"put {n} in namespace '{ns}'", t => Element(t, n, m => Regex.Replace(m, $"^<{Regex.Escape(n)}", $"<{n} xmlns=\"{ns}\""))));
    }

    /// <summary>Edits around the elements: the declaration, a DTD, comments, processing instructions, nesting.</summary>
    public static Gen<Edit> DocumentEdit { get; } = Gen.OneOf(
        from encoding in Gen.Elements("utf-8", "UTF-16", "iso-8859-1", "us-ascii", "bogus-charset", "ibm037", "utf-32")
        select new Edit($"declare encoding=\"{encoding}\"", t => $"<?xml version=\"1.0\" encoding=\"{encoding}\"?>" + WithoutDeclaration(t)),
        from version in Gen.Elements("1.1", "2.0", "")
        select new Edit($"declare version=\"{version}\"", t => $"<?xml version=\"{version}\"?>" + WithoutDeclaration(t)),
        Gen.Constant(new Edit("put a DTD with an entity first", t => "<!DOCTYPE r [<!ENTITY e \"x\">]>" + WithoutDeclaration(t))),
        Gen.Constant(new Edit("put a comment and a processing instruction first", t => "<!-- c --><?pi data?>" + WithoutDeclaration(t))),
        Gen.Constant(new Edit("put whitespace before the declaration", t => "  \n" + t)),
        Gen.Constant(new Edit("add a second root", t => t + "<again/>")),
        from depth in Gen.Elements(40, 1000, 20_000)
        select new Edit($"append {depth} nested elements inside the root", t => AppendInRoot(t, string.Concat(Enumerable.Repeat("<n>", depth)) + string.Concat(Enumerable.Repeat("</n>", depth)))),
        from count in Gen.Elements(300, 3000)
        select new Edit($"append {count} attributes to the root", t => Regex.Replace(t, @"^((<\?.*?\?>)?\s*<[\w:]+)", m => m.Value + string.Concat(Enumerable.Range(0, count).Select(i => $" a{i}=\"{i}\"")))));

    /// <summary>The text without its XML declaration.</summary>
    public static string WithoutDeclaration(string text) => Regex.Replace(text, @"^\s*<\?xml[^>]*\?>", string.Empty);

    /// <summary>Replaces the content of the first element named <paramref name="name"/> (any prefix).</summary>
    public static string Content(string text, string name, Func<string, string> change) =>
        Pattern(name).Replace(text, m => m.Groups["open"].Value + change(m.Groups["content"].Value) + m.Groups["close"].Value, 1);

    /// <summary>Replaces the first element named <paramref name="name"/> (any prefix), tags included.</summary>
    public static string Element(string text, string name, Func<string, string> change) =>
        Pattern(name).Replace(text, m => change(m.Value), 1);

    private static string AppendInRoot(string text, string inner)
    {
        var end = text.LastIndexOf("</", StringComparison.Ordinal);
        return end < 0 ? text + inner : text.Insert(end, inner);
    }

    private static Regex Pattern(string name) =>
        new($@"(?<open><(?<prefix>(?:[\w.-]+:)?){Regex.Escape(name)}(\s[^>]*)?>)(?<content>.*?)(?<close></\k<prefix>{Regex.Escape(name)}>)", RegexOptions.Singleline);
}
