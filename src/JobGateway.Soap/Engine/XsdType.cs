using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml;

namespace JobGateway.Soap.Engine;

/// <summary>The simple XML Schema types a parameter or member can have.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the XML Schema types they stand for.")]
public enum XsdType
{
    /// <summary><c>s:string</c>; optional in the schema (<c>minOccurs="0"</c>), as ASMX writes reference types.</summary>
    String,

    /// <summary><c>s:int</c>.</summary>
    Int,

    /// <summary><c>s:long</c>.</summary>
    Long,

    /// <summary><c>s:double</c>.</summary>
    Double,

    /// <summary><c>s:boolean</c>.</summary>
    Boolean,

    /// <summary><c>s:dateTime</c>.</summary>
    DateTime,

    /// <summary><c>guid</c> from <c>http://microsoft.com/wsdl/types/</c>.</summary>
    Guid,
}

/// <summary>How each <see cref="XsdType"/> is named, sampled and parsed.</summary>
internal static class XsdTypes
{
    /// <summary>The type's QName in a WSDL whose schema prefix is <c>s</c> and Microsoft types prefix <c>s1</c>.</summary>
    public static string QualifiedName(XsdType type) => type == XsdType.Guid ? "s1:guid" : "s:" + Placeholder(type);

    /// <summary>The placeholder the help pages show, as ASMX does (<c>string</c>, <c>int</c>, <c>guid</c>, ...).</summary>
    public static string Placeholder(XsdType type) => type switch
    {
        XsdType.String => "string",
        XsdType.Int => "int",
        XsdType.Long => "long",
        XsdType.Double => "double",
        XsdType.Boolean => "boolean",
        XsdType.DateTime => "dateTime",
        XsdType.Guid => "guid",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>ASMX writes value types with <c>minOccurs="1"</c> and strings with <c>minOccurs="0"</c>.</summary>
    public static int MinOccurs(XsdType type) => type == XsdType.String ? 0 : 1;

    /// <summary>Whether <paramref name="text"/> is a valid lexical value of <paramref name="type"/>.</summary>
    public static bool TryParse(XsdType type, string text, out object? value)
    {
        var trimmed = text.Trim();
        switch (type)
        {
            case XsdType.String:
                value = text;
                return true;
            case XsdType.Int when int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i):
                value = i;
                return true;
            case XsdType.Long when long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                value = l;
                return true;
            case XsdType.Double when TryParseDouble(trimmed, out var d):
                value = d;
                return true;
            case XsdType.Boolean when trimmed is "true" or "1" or "false" or "0":
                value = trimmed is "true" or "1";
                return true;
            case XsdType.DateTime when DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dt):
                value = dt;
                return true;
            case XsdType.Guid when System.Guid.TryParse(trimmed, out var g):
                value = g;
                return true;
            default:
                value = null;
                return false;
        }
    }

    private static bool TryParseDouble(string text, out double value)
    {
        switch (text)
        {
            case "INF":
                value = double.PositiveInfinity;
                return true;
            case "-INF":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    public static string Format(int value) => XmlConvert.ToString(value);

    public static string Format(long value) => XmlConvert.ToString(value);

    /// <summary>
    /// XmlConvert's text for a double. A whole number below 10^15 (MagnetMail's counters and ids) is the integer's
    /// own digits there ("R" writes no fraction or exponent for it), so it is formatted as one: small integers'
    /// strings are cached, and the shortest-round-trip search is skipped. Negative zero stays XmlConvert's "-0".
    /// </summary>
    public static string Format(double value) =>
        double.IsInteger(value) && Math.Abs(value) < 1e15 && !(value == 0 && double.IsNegative(value))
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : XmlConvert.ToString(value);

    public static string Format(bool value) => value ? "true" : "false";

    public static string Format(Guid value) => value.ToString("D");

    /// <summary>UTC with a <c>Z</c> and up to seven fraction digits, as ASMX writes a UTC <c>DateTime</c>.</summary>
    public static string Format(DateTimeOffset value) =>
        XmlConvert.ToString(value.UtcDateTime, XmlDateTimeSerializationMode.Utc);
}
