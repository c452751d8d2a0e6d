using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// Decides the base URL a WSDL's <c>soap:address</c> and the help pages show: the configured public URL, else
/// the request's own scheme and host when that host is allowed, else <c>http://localhost</c>.
/// </summary>
public sealed class SoapAddressResolver(IOptions<SoapOptions> options)
{
    /// <summary>Where clients are told to send requests when the request's host cannot be trusted.</summary>
    public const string FallbackBaseUrl = "http://localhost";

    private readonly SoapOptions _options = options.Value;

    /// <summary>The base URL, without a trailing slash; append a service path to it.</summary>
    public string BaseUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(_options.PublicBaseUrl))
        {
            return _options.PublicBaseUrl.TrimEnd('/');
        }

        return request.Host.HasValue && IsAllowed(request.Host)
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}"
            : FallbackBaseUrl;
    }

    private bool IsAllowed(HostString host)
    {
        if (_options.AllowedHosts.Count == 0)
        {
            var name = host.Host.Trim('[', ']');
            return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
        }

        foreach (var allowed in _options.AllowedHosts)
        {
            // An entry with a port matches that host and port only; without one, any port.
            if (string.Equals(allowed, host.Value, StringComparison.OrdinalIgnoreCase)
                || string.Equals(allowed, host.Host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
