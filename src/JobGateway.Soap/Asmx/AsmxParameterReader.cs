using System.Reflection;
using System.Text;
using System.Xml;
using SoapCore.Extensibility;
using SoapCore.Serializer;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// SoapCore's hook for reading one parameter element. Stricter than ASMX: only an element in the operation's
/// namespace counts (an unqualified one is not the parameter), its content must be simple text, and text that is
/// not a valid value of the parameter's XSD type faults naming the parameter instead of becoming a default.
/// A nil element reads as absent.
/// </summary>
public sealed class AsmxParameterReader : IXmlSerializationHandler
{
    public object? DeserializeInputParameter(
        XmlDictionaryReader xmlReader,
        Type parameterType,
        string parameterName,
        string parameterNs,
        ICustomAttributeProvider customAttributeProvider,
        IEnumerable<Type>? knownTypes = null)
    {
        ArgumentNullException.ThrowIfNull(xmlReader);

        // SoapCore asks again with the parameter's own namespace and then with none; only a qualified element is
        // the parameter, so those asks (and a nil element) leave the reader where it is, and SoapCore skips it.
        if (string.IsNullOrEmpty(parameterNs)
            || xmlReader.NodeType != XmlNodeType.Element
            || !string.Equals(xmlReader.LocalName, parameterName, StringComparison.Ordinal)
            || !string.Equals(xmlReader.NamespaceURI, parameterNs, StringComparison.Ordinal)
            || xmlReader.GetAttribute("nil", XmlNamespaces.Xsi)?.Trim() is "true" or "1")
        {
            return null;
        }

        var type = XsdTypes.Of(parameterType, parameterName);
        return XsdTypes.Parse(type, ReadText(xmlReader, parameterName))
            ?? throw SoapFaultException.InvalidParameter(parameterName, type);
    }

    /// <summary>The element's text (CDATA included); the reader ends after its end tag.</summary>
    private static string ReadText(XmlReader reader, string name)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return string.Empty;
        }

        var text = new StringBuilder();
        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(reader.Value);
                    break;
                case XmlNodeType.Element:
                    throw SoapFaultException.Client($"Parameter {name} must be a simple value.");
            }

            reader.Read();
        }

        reader.Read();
        return text.ToString();
    }
}

/// <summary>
/// SoapCore's hook after binding, before the operation runs: a parameter the request did not carry (or sent as
/// nil, or unqualified) faults naming it, instead of reaching the operation as null or a default value.
/// </summary>
internal sealed class AsmxRequiredParameters(AsmxService service) : ISoapModelBounder
{
    public void OnModelBound(MethodInfo methodInfo, object[] prms)
    {
        ArgumentNullException.ThrowIfNull(prms);
        var operation = service.ByMethod(methodInfo);
        for (var i = 0; i < operation.Parameters.Count; i++)
        {
            if (i >= prms.Length || prms[i] is null)
            {
                throw SoapFaultException.MissingParameter(operation.Parameters[i].Name);
            }
        }
    }
}
