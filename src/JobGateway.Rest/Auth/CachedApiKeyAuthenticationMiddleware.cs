using JobGateway.Core.Clients;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace JobGateway.Rest.Auth;

/// <summary>
/// Authentication for the endpoints that need it. A caller whose bearer key is in the credential cache is signed
/// in here, with the very result the ApiKey handler gives for that key, and the features ASP.NET's authentication
/// middleware would set; every other request (no header, a malformed one, a key the cache does not hold) goes
/// through ASP.NET's authentication middleware and the handler, which decide and remember. ASP.NET's way costs a
/// handler instance, a request scope and a fresh ticket per request, which was most of a cached caller's
/// authentication; the outcome is the same because ApiKey is the only scheme and the default one (a test holds
/// the two ways to the same principal).
/// </summary>
internal sealed class CachedApiKeyAuthenticationMiddleware(RequestDelegate next, IAuthenticationSchemeProvider schemes, CredentialCache cache)
{
    private readonly AuthenticationMiddleware _full = new(next, schemes);

    public Task InvokeAsync(HttpContext context)
    {
        var values = context.Request.Headers.Authorization;
        if (values.Count == 1
            && values[0] is { } header
            && header.StartsWith(ApiKeyAuthenticationHandler.BearerPrefix, StringComparison.OrdinalIgnoreCase)
            && cache.TryGet(header.AsSpan(ApiKeyAuthenticationHandler.BearerPrefix.Length).Trim(), out var credential))
        {
            var result = ApiKeyAuthenticationHandler.SucceededFor(credential!);
            context.User = result.Principal!;
            var signedIn = new SignedIn(result);
            context.Features.Set<IHttpAuthenticationFeature>(signedIn);
            context.Features.Set<IAuthenticateResultFeature>(signedIn);
            return next(context);
        }

        return _full.Invoke(context);
    }

    // What ASP.NET's middleware sets after a successful authentication (its AuthenticationFeatures): the
    // authorization middleware takes the result from here instead of authenticating again.
    private sealed class SignedIn(AuthenticateResult result) : IHttpAuthenticationFeature, IAuthenticateResultFeature
    {
        private System.Security.Claims.ClaimsPrincipal? _user = result.Principal;
        private AuthenticateResult? _result = result;

        public AuthenticateResult? AuthenticateResult
        {
            get => _result;
            set
            {
                _result = value;
                _user = value?.Principal;
            }
        }

        public System.Security.Claims.ClaimsPrincipal? User
        {
            get => _user;
            set
            {
                _user = value;
                _result = null;
            }
        }
    }
}
