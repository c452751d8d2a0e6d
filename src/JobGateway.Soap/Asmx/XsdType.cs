using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace JobGateway.Soap.Asmx;

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

/// <summary>How each <see cref="XsdType"/> is found from a CLR type, sampled and parsed.</summary>
internal static class XsdTypes
{
    /// <summary>The XSD type of a parameter or member; <paramref name="what"/> names it when its type has none.</summary>
    public static XsdType Of(Type type, string what) =>
        TryOf(type) ?? throw new InvalidOperationException($"{what}: {type} has no simple XSD type.");

    /// <summary>The XSD type of <paramref name="type"/> (or of its nullable form), or null for a complex type.</summary>
    public static XsdType? TryOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) ? XsdType.String
            : type == typeof(int) ? XsdType.Int
            : type == typeof(long) ? XsdType.Long
            : type == typeof(double) ? XsdType.Double
            : type == typeof(bool) ? XsdType.Boolean
            : type == typeof(DateTime) ? XsdType.DateTime
            : type == typeof(Guid) ? XsdType.Guid
            : null;
    }

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

    /// <summary>
    /// The value of <paramref name="text"/> as <paramref name="type"/> (a <see cref="DateTime"/> in UTC), or null
    /// when it is not a valid lexical value of that type.
    /// </summary>
    public static object? Parse(XsdType type, string text)
    {
        var trimmed = text.Trim();
        return type switch
        {
            XsdType.String => text,
            XsdType.Int when int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
            XsdType.Long when long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            XsdType.Double when TryParseDouble(trimmed, out var d) => d,
            XsdType.Boolean when trimmed is "true" or "1" or "false" or "0" => trimmed is "true" or "1",
            XsdType.DateTime when DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dt) => dt.UtcDateTime,
            XsdType.Guid when System.Guid.TryParse(trimmed, out var g) => g,
            _ => null,
        };
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
}
