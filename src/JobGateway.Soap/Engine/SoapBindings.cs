namespace JobGateway.Soap.Engine;

/// <summary>The protocols a service offers on its path.</summary>
[Flags]
public enum SoapBindings
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>SOAP 1.1 over HTTP POST.</summary>
    Soap11 = 1,

    /// <summary>SOAP 1.2 over HTTP POST.</summary>
    Soap12 = 2,

    /// <summary>ASMX's HTTP GET binding: <c>GET /x.asmx/op?param=value</c>.</summary>
    HttpGet = 4,

    /// <summary>ASMX's HTTP POST binding: a form posted to <c>/x.asmx/op</c>.</summary>
    HttpPost = 8,

    /// <summary>Both SOAP versions.</summary>
    Soap = Soap11 | Soap12,

    /// <summary>Every binding.</summary>
    All = Soap | HttpGet | HttpPost,
}

/// <summary>A SOAP version, decided by the envelope namespace.</summary>
public enum SoapVersion
{
    /// <summary>SOAP 1.1.</summary>
    Soap11,

    /// <summary>SOAP 1.2.</summary>
    Soap12,
}
