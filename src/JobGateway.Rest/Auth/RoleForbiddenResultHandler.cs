using System.Security.Claims;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Rest.Auth;

/// <summary>
/// ASP.NET's hook for the authorization middleware's answer: when an API key lacks the role an endpoint's policy
/// requires, the 403 says which role that is and which roles the key has, in the endpoint's dialect. Everything else
/// (challenges, other requirements, the dashboard's cookie sign-in) goes to the default handler.
/// </summary>
public sealed class RoleForbiddenResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden
            && context.User.Identity is GatewayIdentity
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToArray() is { Length: > 0 } needed)
        {
            var held = context.User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray();
            return context.WriteErrorAsync(new GatewayError(StatusCodes.Status403Forbidden, "Forbidden", Detail(needed, held), "forbidden"));
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>"This endpoint needs an API key with the worker role; this key has the client role."</summary>
    public static string Detail(IReadOnlyCollection<string> needed, IReadOnlyCollection<string> held) =>
        $"This endpoint needs an API key with the {string.Join(" or ", needed)} role; this key has {(held.Count == 0 ? "no role" : $"the {string.Join(" and ", held)} role{(held.Count > 1 ? "s" : string.Empty)}")}.";
}
