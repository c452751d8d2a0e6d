using System.Diagnostics.CodeAnalysis;
namespace JobGateway.Soap.Engine;

/// <summary>
/// The values a request carried for a list of declared parameters (an operation's, or a header's fields),
/// wherever they came from: SOAP elements, a query string or a form. Typed accessors convert on demand and fault
/// with the parameter's name, so no operation ever acts on a default the client did not send.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the XML Schema types they stand for.")]
public sealed class SoapArguments
{
    private readonly IReadOnlyList<SoapParameter> _parameters;
    private readonly string?[] _values;
    private readonly IReadOnlyDictionary<SoapHeader, SoapArguments>? _headers;

    internal SoapArguments(IReadOnlyList<SoapParameter> parameters, string?[] values, IReadOnlyDictionary<SoapHeader, SoapArguments>? headers = null)
    {
        _parameters = parameters;
        _values = values;
        _headers = headers;
    }

    /// <summary>The raw values, by parameter position (null for absent ones).</summary>
    internal IReadOnlyList<string?> RawValues => _values;

    /// <summary>Values keyed by parameter name, e.g. from a query string; null for absent ones.</summary>
    public static SoapArguments From(IReadOnlyList<SoapParameter> parameters, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(lookup);
        var values = new string?[parameters.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = lookup(parameters[i].Name);
        }

        return new SoapArguments(parameters, values);
    }

    /// <summary>A required string; an empty element is the empty string, an absent or nil one a fault.</summary>
    public string String(string name) => RawRequired(name, XsdType.String);

    /// <summary>A string that may be absent.</summary>
    public string? OptionalString(string name) => _values[IndexOf(name, XsdType.String)];

    public int Int32(string name) => (int)Convert(name, XsdType.Int);

    public long Int64(string name) => (long)Convert(name, XsdType.Long);

    public double Double(string name) => (double)Convert(name, XsdType.Double);

    public bool Boolean(string name) => (bool)Convert(name, XsdType.Boolean);

    public DateTimeOffset DateTime(string name) => (DateTimeOffset)Convert(name, XsdType.DateTime);

    public Guid Guid(string name) => (Guid)Convert(name, XsdType.Guid);

    /// <summary>The fields of a header the request carried, or null when it carried none.</summary>
    public SoapArguments? Header(SoapHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return _headers is not null && _headers.TryGetValue(header, out var values) ? values : null;
    }

    /// <summary>The fields of a header the operation cannot run without.</summary>
    public SoapArguments RequiredHeader(SoapHeader header) =>
        Header(header) ?? throw SoapFaultException.Client($"Missing SOAP header: {header.Name}.");

    private object Convert(string name, XsdType type)
    {
        var text = RawRequired(name, type);
        return XsdTypes.TryParse(type, text, out var value) ? value! : throw SoapFaultException.InvalidParameter(name, type);
    }

    private string RawRequired(string name, XsdType type) =>
        _values[IndexOf(name, type)] ?? throw SoapFaultException.MissingParameter(name);

    private int IndexOf(string name, XsdType type)
    {
        for (var i = 0; i < _parameters.Count; i++)
        {
            if (string.Equals(_parameters[i].Name, name, StringComparison.Ordinal))
            {
                // A mismatch is a bug in a service declaration, not a request error: fail loudly.
                return _parameters[i].Type == type
                    ? i
                    : throw new InvalidOperationException($"Parameter {name} is declared as {_parameters[i].Type}, not {type}.");
            }
        }

        throw new InvalidOperationException($"Parameter {name} is not declared.");
    }
}
