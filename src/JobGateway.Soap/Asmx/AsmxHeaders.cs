using System.ServiceModel.Channels;
using System.Xml.Serialization;
using SoapCore.ServiceModel;

namespace JobGateway.Soap.Asmx;

/// <summary>Reads a SOAP header that an operation declares with a <see cref="SoapHeaderAttribute"/> subclass.</summary>
internal static class AsmxHeaders
{
    /// <summary>
    /// The header block named after <typeparamref name="T"/> (in the namespace its <c>[XmlType]</c> gives), read by
    /// <c>XmlSerializer</c>; null when the request has none. <see cref="AsmxMessageProcessor"/> has already refused a
    /// request without it or with two.
    /// </summary>
    public static T? Read<T>(MessageHeaders? headers)
        where T : SoapHeaderAttribute
    {
        var index = headers?.FindHeader(Reader<T>.Root.ElementName, Reader<T>.Root.Namespace) ?? -1;
        if (index < 0)
        {
            return null;
        }

        using var reader = headers!.GetReaderAtHeader(index);
        try
        {
            return (T?)Reader<T>.Serializer.Deserialize(reader);
        }
        catch (InvalidOperationException exception)
        {
            // XmlSerializer's way of saying the block is not the type (markup where text belongs, a bad value).
            throw SoapFaultException.Client($"The SOAP header {Reader<T>.Root.ElementName} is not valid: {exception.InnerException?.Message ?? exception.Message}");
        }
    }

    private static class Reader<T>
    {
        public static readonly XmlRootAttribute Root = new(typeof(T).Name)
        {
            Namespace = typeof(T).GetCustomAttributes(typeof(XmlTypeAttribute), false).OfType<XmlTypeAttribute>().FirstOrDefault()?.Namespace,
        };

        // Made once per header type: the constructors that take a root leak a generated assembly per instance.
        public static readonly XmlSerializer Serializer = new(typeof(T), Root);
    }
}
