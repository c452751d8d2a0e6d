using System.ComponentModel;
using System.Reflection;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Serialization;
using SoapCore.ServiceModel;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// One ASMX service as its SoapCore contract type declares it. SoapCore reads the contract into a
/// <see cref="ServiceDescription"/>; this adds what the ASMX compatibility layer needs from the same type (the
/// title, the path, the documentation and the XSD types of parameters and results), so routing checks, the WSDL's
/// additions, the help pages and the HTTP GET/POST binding have no second description to agree with.
/// </summary>
public sealed class AsmxService
{
    private readonly Dictionary<string, AsmxOperation> _byAction;
    private readonly Dictionary<XName, AsmxOperation> _byElement;
    private readonly Dictionary<string, AsmxOperation> _byName;

    /// <param name="contractType">A <c>[ServiceContract]</c> class with <c>[XmlSerializerFormat]</c>.</param>
    /// <param name="path">The service path, e.g. <c>/mmapi.asmx</c>.</param>
    /// <param name="offersHttpGetAndPost">Whether ASMX's HTTP GET and HTTP POST bindings are offered.</param>
    public AsmxService(Type contractType, string path, bool offersHttpGetAndPost = false)
    {
        ArgumentNullException.ThrowIfNull(contractType);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!path.StartsWith('/') || path.EndsWith('/'))
        {
            throw new ArgumentException($"The service path '{path}' must start and not end with '/'.", nameof(path));
        }

        Description = new ServiceDescription(contractType, ActionsWithoutContractName);
        ContractType = contractType;
        Path = path;
        OffersHttpGetAndPost = offersHttpGetAndPost;
        Operations = [.. Description.Operations.Select(o => new AsmxOperation(this, o))];
        _byAction = Operations.ToDictionary(o => o.Action, StringComparer.Ordinal);
        _byElement = Operations.ToDictionary(o => XName.Get(o.Name, Namespace));
        _byName = Operations.ToDictionary(o => o.Name, StringComparer.Ordinal);
        UnderstoodHeaders = Operations.Where(o => o.Header is not null).Select(o => XName.Get(o.Header!.Name, Namespace)).ToHashSet();
        if (offersHttpGetAndPost && Operations.Any(o => o.Header is not null))
        {
            throw new InvalidOperationException($"Service {Name} reads SOAP headers, which a query string or a form cannot carry.");
        }
    }

    /// <summary>
    /// An operation's SOAP action is the namespace and the name joined by one slash, as ASMX derives it (SoapCore's
    /// default puts the contract name between them).
    /// </summary>
    public const bool ActionsWithoutContractName = true;

    /// <summary>SoapCore's view of the contract: operations, actions, parameters.</summary>
    public ServiceDescription Description { get; }

    public Type ContractType { get; }

    /// <summary>The name as WSDL writes it (XML-encoded, e.g. <c>MagnetMail_x0020_Web_x0020_Service</c>).</summary>
    public string WsdlName => Description.ServiceName;

    /// <summary>The name as the help pages title it, e.g. <c>MagnetMail Web Service</c>.</summary>
    public string Name => XmlConvert.DecodeName(WsdlName);

    /// <summary>The target namespace of the request and response elements.</summary>
    public string Namespace => Description.GeneralContract.Namespace;

    public string Path { get; }

    /// <summary>The last segment of <see cref="Path"/>, which relative links on the help pages start from.</summary>
    public string FileName => Path[(Path.LastIndexOf('/') + 1)..];

    public bool OffersHttpGetAndPost { get; }

    public IReadOnlyList<AsmxOperation> Operations { get; }

    /// <summary>The header elements some operation reads; any other header marked mustUnderstand faults.</summary>
    public IReadOnlySet<XName> UnderstoodHeaders { get; }

    public AsmxOperation? ByAction(string action) => _byAction.GetValueOrDefault(action);

    public AsmxOperation? ByElement(XName element) => _byElement.GetValueOrDefault(element);

    public AsmxOperation? ByName(string name) => _byName.GetValueOrDefault(name);

    public AsmxOperation ByMethod(MethodInfo method) => Operations.Single(o => o.Method == method);
}

/// <summary>One operation of an <see cref="AsmxService"/>.</summary>
public sealed class AsmxOperation
{
    internal AsmxOperation(AsmxService service, OperationDescription operation)
    {
        Service = service;
        Soap = operation;
        Parameters = [.. operation.InParameters.Select(p => new AsmxParameter(p.Name, XsdTypes.Of(p.Parameter.ParameterType, $"{operation.Name}({p.Name})")))];
        Result = AsmxComplexType.Of(operation.ReturnType);
        Header = operation.HeaderType is { } header ? AsmxComplexType.Of(header) : null;
    }

    public AsmxService Service { get; }

    /// <summary>SoapCore's description of the operation.</summary>
    public OperationDescription Soap { get; }

    public string Name => Soap.Name;

    /// <summary>The SOAP action, matched exactly.</summary>
    public string Action => Soap.SoapAction;

    public MethodInfo Method => Soap.DispatchMethod;

    /// <summary>One sentence from the method's <see cref="DescriptionAttribute"/>, shown in the WSDL and help pages.</summary>
    public string Documentation => Method.GetCustomAttribute<DescriptionAttribute>()?.Description ?? string.Empty;

    /// <summary>The request element's children, in the method's order.</summary>
    public IReadOnlyList<AsmxParameter> Parameters { get; }

    /// <summary>The result type: <c>{Name}Result</c> in SOAP replies, the root element of HTTP GET/POST replies.</summary>
    public AsmxComplexType Result { get; }

    /// <summary>The SOAP header the operation reads (a <c>SoapHeaderAttribute</c> subclass named after its element), if any.</summary>
    public AsmxComplexType? Header { get; }

    public string ResponseElement => Name + "Response";

    public string ResultElement => Soap.ReturnName;
}

/// <summary>A parameter: its element name and its XSD type.</summary>
public sealed record AsmxParameter(string Name, XsdType Type);

/// <summary>A complex type as <c>XmlSerializer</c> writes it: its XSD name and members in order.</summary>
public sealed class AsmxComplexType
{
    private AsmxComplexType(Type type)
    {
        ClrType = type;
        Name = type.GetCustomAttribute<XmlTypeAttribute>()?.TypeName is { Length: > 0 } name ? name : type.Name;
        Members = [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.DeclaringType != typeof(Attribute) && p.GetCustomAttribute<XmlIgnoreAttribute>() is null)
            .OrderBy(p => p.MetadataToken)
            .Select(AsmxMember.Of)];
    }

    public Type ClrType { get; }

    public string Name { get; }

    public IReadOnlyList<AsmxMember> Members { get; }

    internal static AsmxComplexType Of(Type type) => new(type);
}

/// <summary>A member of a complex type: a simple XSD type, or a nested complex type.</summary>
public sealed record AsmxMember(string Name, XsdType? SimpleType, AsmxComplexType? ComplexType)
{
    internal static AsmxMember Of(PropertyInfo property)
    {
        var name = property.GetCustomAttribute<XmlElementAttribute>()?.ElementName is { Length: > 0 } element ? element : property.Name;
        return XsdTypes.TryOf(property.PropertyType) is { } simple
            ? new AsmxMember(name, simple, null)
            : new AsmxMember(name, null, AsmxComplexType.Of(property.PropertyType));
    }
}
