using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace JobGateway.Rest.Auth;

/// <summary>
/// The authorization middleware's policy evaluator with a short way to "allowed": a policy made only of role and
/// authenticated-user requirements that the caller meets succeeds at once, without building an authorization
/// context and running every handler through the authorization service. Everything else (a requirement unmet or
/// of another kind, an unauthenticated caller) goes to ASP.NET's own evaluator, which decides and words the
/// challenge or the forbid. This is the same decision as long as no authorization handler of ours can fail a
/// requirement that the built-in handlers pass; the gateway registers none (a test holds that).
/// </summary>
internal sealed class RolePolicyEvaluator(IAuthorizationService authorization) : IPolicyEvaluator
{
    private static readonly Task<PolicyAuthorizationResult> Allowed = Task.FromResult(PolicyAuthorizationResult.Success());

    private readonly PolicyEvaluator _inner = new(authorization);

    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context) =>
        _inner.AuthenticateAsync(policy, context);

    public Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authenticationResult);
        ArgumentNullException.ThrowIfNull(context);
        return authenticationResult.Succeeded && IsMetByRoles(policy, context.User)
            ? Allowed
            : _inner.AuthorizeAsync(policy, authenticationResult, context, resource);
    }

    private static bool IsMetByRoles(AuthorizationPolicy policy, System.Security.Claims.ClaimsPrincipal user)
    {
        if (policy.Requirements.Count == 0)
        {
            return false;
        }

        foreach (var requirement in policy.Requirements)
        {
            switch (requirement)
            {
                case RolesAuthorizationRequirement roles when roles.AllowedRoles.Any(user.IsInRole):
                case DenyAnonymousAuthorizationRequirement when user.Identities.Any(i => i.IsAuthenticated):
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }
}
