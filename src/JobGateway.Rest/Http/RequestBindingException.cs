using Microsoft.AspNetCore.Http;

namespace JobGateway.Rest.Http;

/// <summary>
/// Thrown by a custom binder (<c>BindAsync</c>) that read a request it cannot accept and knows exactly what
/// to tell the client: the exception handler writes <see cref="Error"/> as it is, in the endpoint's dialect.
/// </summary>
public sealed class RequestBindingException(GatewayError error)
    : BadHttpRequestException(error?.Detail ?? error?.Title ?? string.Empty, error?.Status ?? StatusCodes.Status400BadRequest)
{
    public GatewayError Error { get; } = error ?? throw new ArgumentNullException(nameof(error));
}
