using System.ComponentModel.DataAnnotations;

namespace JobGateway.Soap.Asmx;

/// <summary>Limits and addressing of every SOAP service (section <c>Soap</c>).</summary>
public sealed class SoapOptions
{
    public const string Section = "Soap";

    /// <summary>Largest accepted request body; larger ones get 413 before they are read. Default 1 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Deepest element nesting a request may have (the envelope is depth 0). Default 32.</summary>
    [Range(8, 256)]
    public int MaxDepth { get; set; } = 32;

    /// <summary>
    /// The absolute URL clients reach the gateway at (e.g. <c>https://gateway.example.com</c>), used for
    /// <c>soap:address</c> and the help pages. When unset, <c>Gateway:PublicBaseUrl</c> is used.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Without a public base URL, request hosts (<c>host</c> or <c>host:port</c>) trusted to build
    /// <c>soap:address</c> from. Empty: loopback hosts only. Any other host gets <c>http://localhost</c>, never
    /// a value copied from an attacker-controlled Host header.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    internal bool HasValidPublicBaseUrl =>
        string.IsNullOrEmpty(PublicBaseUrl)
        || (Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment));
}
