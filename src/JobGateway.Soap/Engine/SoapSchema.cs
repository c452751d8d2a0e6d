using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Xml;

namespace JobGateway.Soap.Engine;

/// <summary>A named simple value a request carries: an operation parameter or a field of a SOAP header.</summary>
/// <param name="Name">The element (or query/form key) name.</param>
/// <param name="Type">Its schema type.</param>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the XML Schema types they stand for.")]
public sealed record SoapParameter(string Name, XsdType Type)
{
    public static SoapParameter String(string name) => new(name, XsdType.String);

    public static SoapParameter Int(string name) => new(name, XsdType.Int);

    public static SoapParameter Long(string name) => new(name, XsdType.Long);

    public static SoapParameter Double(string name) => new(name, XsdType.Double);

    public static SoapParameter Boolean(string name) => new(name, XsdType.Boolean);

    public static SoapParameter DateTime(string name) => new(name, XsdType.DateTime);

    public static SoapParameter Guid(string name) => new(name, XsdType.Guid);
}

/// <summary>A SOAP header an operation reads, e.g. an authentication header. Its namespace is the service's.</summary>
public sealed class SoapHeader
{
    public SoapHeader(string name, params IReadOnlyList<SoapParameter> fields)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Fields = fields;
    }

    /// <summary>The header element's local name, also its schema type's name.</summary>
    public string Name { get; }

    /// <summary>Its child elements.</summary>
    public IReadOnlyList<SoapParameter> Fields { get; }
}

/// <summary>A member of a complex type, as the WSDL and the help pages describe it.</summary>
public interface ISoapMember
{
    string Name { get; }

    /// <summary>The simple type, or null for a complex member.</summary>
    XsdType? SimpleType { get; }

    /// <summary>The complex type, or null for a simple member.</summary>
    ISoapComplexType? ComplexType { get; }

    /// <summary>Whether an absent value is written <c>xsi:nil="true"</c> (rather than omitted).</summary>
    bool Nillable { get; }
}

/// <summary>A complex type, as the WSDL and the help pages describe it.</summary>
public interface ISoapComplexType
{
    string Name { get; }

    IReadOnlyList<ISoapMember> Members { get; }
}

/// <summary>
/// A complex type whose values are <typeparamref name="T"/>: the one declaration the WSDL, the help pages and
/// the response writer all read, so they cannot drift apart.
/// </summary>
public sealed class SoapComplexType<T> : ISoapComplexType
{
    private readonly IReadOnlyList<SoapMember<T>> _members;

    public SoapComplexType(string name, params IReadOnlyList<SoapMember<T>> members)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _members = members;
    }

    public string Name { get; }

    public IReadOnlyList<ISoapMember> Members => _members;

    internal void WriteMembers(XmlWriter writer, T value, string ns)
    {
        foreach (var member in _members)
        {
            member.Write(writer, value, ns);
        }
    }

    /// <summary>The members on the fast lane; false as soon as one needs the XmlWriter (the buffer is then abandoned).</summary>
    internal bool TryWriteMembers(SoapReplyBuffer buffer, T value)
    {
        foreach (var member in _members)
        {
            if (!member.TryWrite(buffer, value))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A member of <see cref="SoapComplexType{T}"/>, read from a <typeparamref name="T"/>.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the XML Schema types they stand for.")]
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Callers name the owner type once, SoapMember<TOwner>.String(...), and the getters are then typed.")]
public abstract class SoapMember<T> : ISoapMember
{
    private protected SoapMember(string name, XsdType? simpleType, ISoapComplexType? complexType, bool nillable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        SimpleType = simpleType;
        ComplexType = complexType;
        Nillable = nillable;
    }

    public string Name { get; }

    public XsdType? SimpleType { get; }

    public ISoapComplexType? ComplexType { get; }

    public bool Nillable { get; }

    /// <summary>A string; omitted when null, as ASMX omits a null reference.</summary>
    public static SoapMember<T> String(string name, Func<T, string?> get) =>
        new Simple(name, XsdType.String, nillable: false, get);

    public static SoapMember<T> Int(string name, Func<T, int> get) =>
        new Simple(name, XsdType.Int, nillable: false, v => XsdTypes.Format(get(v)));

    public static SoapMember<T> Long(string name, Func<T, long> get) =>
        new Simple(name, XsdType.Long, nillable: false, v => XsdTypes.Format(get(v)));

    public static SoapMember<T> Double(string name, Func<T, double> get) =>
        new Simple(name, XsdType.Double, nillable: false, v => XsdTypes.Format(get(v)));

    public static SoapMember<T> Boolean(string name, Func<T, bool> get) =>
        new Simple(name, XsdType.Boolean, nillable: false, v => XsdTypes.Format(get(v)));

    public static SoapMember<T> Guid(string name, Func<T, Guid> get) =>
        new Simple(name, XsdType.Guid, nillable: false, v => XsdTypes.Format(get(v)));

    public static SoapMember<T> DateTime(string name, Func<T, DateTimeOffset> get) =>
        new Simple(name, XsdType.DateTime, nillable: false, v => XsdTypes.Format(get(v)));

    /// <summary>A date that may be absent: <c>nillable="true"</c>, written <c>xsi:nil="true"</c> when null.</summary>
    public static SoapMember<T> NullableDateTime(string name, Func<T, DateTimeOffset?> get) =>
        new Simple(name, XsdType.DateTime, nillable: true, v => get(v) is { } d ? XsdTypes.Format(d) : null);

    /// <summary>A nested complex value; omitted when null.</summary>
    public static SoapMember<T> Complex<TValue>(string name, SoapComplexType<TValue> type, Func<T, TValue?> get)
        where TValue : class =>
        new Nested<TValue>(name, type, get);

    internal abstract void Write(XmlWriter writer, T owner, string ns);

    /// <summary>Writes the member as <see cref="Write"/> would, or returns false when only the XmlWriter can.</summary>
    internal abstract bool TryWrite(SoapReplyBuffer buffer, T owner);

    private sealed class Simple(string name, XsdType type, bool nillable, Func<T, string?> text)
        : SoapMember<T>(name, type, null, nillable)
    {
        // The element's tags in UTF-8, made once: a reply writes each member's name twice, every time.
        private readonly byte[] _open = Encoding.UTF8.GetBytes($"<{name}>");
        private readonly byte[] _close = Encoding.UTF8.GetBytes($"</{name}>");
        private readonly byte[] _empty = Encoding.UTF8.GetBytes($"<{name} />");
        private readonly byte[] _nil = Encoding.UTF8.GetBytes($"<{name} xsi:nil=\"true\" />");

        internal override void Write(XmlWriter writer, T owner, string ns)
        {
            var value = text(owner);
            if (value is not null)
            {
                writer.WriteElementString(Name, ns, value);
            }
            else if (Nillable)
            {
                writer.WriteStartElement(Name, ns);
                writer.WriteAttributeString("xsi", "nil", XmlNamespaces.Xsi, "true");
                writer.WriteEndElement();
            }
        }

        // The bytes XmlWriter writes: "<name />" for an empty value and "<name xsi:nil="true" />" for a nil one.
        internal override bool TryWrite(SoapReplyBuffer buffer, T owner)
        {
            var value = text(owner);
            if (value is null)
            {
                if (Nillable)
                {
                    buffer.Element(_nil);
                }

                return true;
            }

            if (value.Length == 0)
            {
                buffer.Element(_empty);
                return true;
            }

            return buffer.TryElement(_open, value, _close);
        }
    }

    private sealed class Nested<TValue>(string name, SoapComplexType<TValue> type, Func<T, TValue?> get)
        : SoapMember<T>(name, null, type, nillable: false)
        where TValue : class
    {
        internal override void Write(XmlWriter writer, T owner, string ns)
        {
            if (get(owner) is { } value)
            {
                writer.WriteStartElement(Name, ns);
                type.WriteMembers(writer, value, ns);
                writer.WriteEndElement();
            }
        }

        internal override bool TryWrite(SoapReplyBuffer buffer, T owner)
        {
            if (get(owner) is not { } value)
            {
                return true;
            }

            buffer.StartElement(Name);
            if (!type.TryWriteMembers(buffer, value))
            {
                return false;
            }

            buffer.EndElement(Name);
            return true;
        }
    }
}
