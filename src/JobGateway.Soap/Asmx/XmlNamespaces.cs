namespace JobGateway.Soap.Asmx;

/// <summary>The namespaces an ASMX-compatible service reads and writes.</summary>
internal static class XmlNamespaces
{
    public const string Soap11Envelope = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string Soap12Envelope = "http://www.w3.org/2003/05/soap-envelope";
    public const string Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    public const string Xsd = "http://www.w3.org/2001/XMLSchema";
    public const string MicrosoftTypes = "http://microsoft.com/wsdl/types/";
    public const string Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    public const string WsdlSoap11 = "http://schemas.xmlsoap.org/wsdl/soap/";
    public const string WsdlSoap12 = "http://schemas.xmlsoap.org/wsdl/soap12/";
    public const string WsdlHttp = "http://schemas.xmlsoap.org/wsdl/http/";
    public const string WsdlMime = "http://schemas.xmlsoap.org/wsdl/mime/";
    public const string SoapEncoding = "http://schemas.xmlsoap.org/soap/encoding/";
    public const string SoapHttpTransport = "http://schemas.xmlsoap.org/soap/http";
    public const string Soap11ActorNext = "http://schemas.xmlsoap.org/soap/actor/next";
    public const string Soap12RoleNext = "http://www.w3.org/2003/05/soap-envelope/role/next";
    public const string Soap12RoleUltimateReceiver = "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver";

    public static string Envelope(SoapVersion version) =>
        version == SoapVersion.Soap11 ? Soap11Envelope : Soap12Envelope;
}
