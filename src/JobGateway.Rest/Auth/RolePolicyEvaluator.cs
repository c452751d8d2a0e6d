using JobGateway.Core.Clients;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Rest.Auth;

/// <summary>
/// The authorization middleware's policy evaluator with a short way to "allowed": a policy made only of role and
/// authenticated-user requirements that the caller meets succeeds at once, without building an authorization
/// context and running every handler through the authorization service. Everything else (a requirement unmet or
/// of another kind, an unauthenticated caller) goes to ASP.NET's own evaluator, which decides and words the
/// challenge or the forbid. This is the same decision as long as no authorization handler of ours can fail a
/// requirement that the built-in handlers pass; the gateway registers none (a test holds that). A singleton: the
/// request's authorization service is resolved only on ASP.NET's way.
/// </summary>
internal sealed class RolePolicyEvaluator : IPolicyEvaluator
{
    private static readonly Task<PolicyAuthorizationResult> Allowed = Task.FromResult(PolicyAuthorizationResult.Success());

    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(context);

        // A policy naming no scheme takes the result the authentication middleware left, as ASP.NET's evaluator
        // does; only the other cases need that evaluator (and the request's authorization service it is built on).
        if (policy.AuthenticationSchemes.Count == 0
            && context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is { } result)
        {
            return Task.FromResult(result);
        }

        return Inner(context).AuthenticateAsync(policy, context);
    }

    public Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authenticationResult);
        ArgumentNullException.ThrowIfNull(context);
        return authenticationResult.Succeeded && IsMetByRoles(policy, context.User)
            ? Allowed
            : Inner(context).AuthorizeAsync(policy, authenticationResult, context, resource);
    }

    private static PolicyEvaluator Inner(HttpContext context) => new(context.RequestServices.GetRequiredService<IAuthorizationService>());

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
                case RolesAuthorizationRequirement roles when HasAnyRole(user, roles.AllowedRoles):
                case DenyAnonymousAuthorizationRequirement when IsAuthenticated(user):
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    // A gateway identity carries its key's roles as flags; any other principal is asked claim by claim.
    private static bool HasAnyRole(System.Security.Claims.ClaimsPrincipal user, IEnumerable<string> roles)
    {
        if (user.Identity is GatewayIdentity { Credential: var credential })
        {
            foreach (var role in roles)
            {
                if ((credential.Roles & RoleClaimed(role)) != ApiKeyRoles.None)
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var role in roles)
        {
            if (user.IsInRole(role))
            {
                return true;
            }
        }

        return false;
    }

    // The role whose claim has exactly this value (role claims are compared ordinally, as IsInRole does).
    private static ApiKeyRoles RoleClaimed(string role) => role switch
    {
        "admin" => ApiKeyRoles.Admin,
        "client" => ApiKeyRoles.Client,
        "worker" => ApiKeyRoles.Worker,
        _ => ApiKeyRoles.None,
    };

    private static bool IsAuthenticated(System.Security.Claims.ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
        {
            if (identity.IsAuthenticated)
            {
                return true;
            }
        }

        return false;
    }
}
