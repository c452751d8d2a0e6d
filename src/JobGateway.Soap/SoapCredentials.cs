using JobGateway.Core.Clients;
using JobGateway.Soap.Asmx;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Soap;

/// <summary>
/// Turns the key a SOAP request carries (a parameter or a header field, per vendor) into the calling tenant.
/// Every service goes through here, so all of them refuse the same keys with the same faults. The caller is
/// recorded on the request (<c>HttpContext.Items[typeof(Credential)]</c>) for the request log.
/// </summary>
public sealed class SoapCredentials(ApiKeyAuthenticator authenticator, IHttpContextAccessor http)
{
    /// <summary>
    /// The credential of <paramref name="secret"/>; a Client fault naming <paramref name="parameter"/> when the
    /// key is unknown, revoked, of a disabled client, or has neither the Client nor the Admin role.
    /// </summary>
    public async Task<Credential> RequireClientAsync(string? secret, string parameter, CancellationToken cancellationToken)
    {
        var credential = await authenticator.AuthenticateAsync(secret, cancellationToken);
        if (credential is null)
        {
            throw SoapFaultException.Client($"Access denied: {parameter} is not a valid API key.");
        }

        if ((credential.Roles & (ApiKeyRoles.Client | ApiKeyRoles.Admin)) == ApiKeyRoles.None)
        {
            throw SoapFaultException.Client(
                $"Access denied: the key in {parameter} needs the client role to use this service (it has {credential.Roles.ToString().ToLowerInvariant()}).");
        }

        if (http.HttpContext is { } context)
        {
            context.Items[typeof(Credential)] = credential;
        }

        return credential;
    }
}
