using System.Globalization;
using System.Security.Claims;
using JobGateway.Core.Clients;

namespace JobGateway.Dashboard;

/// <summary>
/// Who is signed in to the dashboard: the client and key an API key stood for when it was presented, and whether the
/// key is an admin's (every client's jobs) or a client's (its own). The key itself is never kept, only its id.
/// </summary>
public sealed record DashboardUser(Guid ClientId, string ClientName, Guid KeyId, bool IsAdmin)
{
    // The claim types of the API's bearer keys (Rest's GatewayClaims): whatever reads the caller's client from a
    // principal (the request log) reads a dashboard user's alike.
    private const string ClientIdClaim = "jg:client_id";
    private const string ClientNameClaim = "jg:client_name";
    private const string KeyIdClaim = "jg:key_id";

    /// <summary>The role of admin keys, as a claim.</summary>
    public const string AdminRole = "admin";

    /// <summary>The role of client keys, as a claim.</summary>
    public const string ClientRole = "client";

    /// <summary>The client whose jobs the user sees; null: every client's.</summary>
    public Guid? Scope => IsAdmin ? null : ClientId;

    /// <summary>The user a valid key makes, or null when the key may not use the dashboard (a worker-only key).</summary>
    public static DashboardUser? For(Credential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (credential.Roles.HasFlag(ApiKeyRoles.Admin))
        {
            return new DashboardUser(credential.ClientId, credential.ClientName, credential.KeyId, IsAdmin: true);
        }

        return credential.Roles.HasFlag(ApiKeyRoles.Client)
            ? new DashboardUser(credential.ClientId, credential.ClientName, credential.KeyId, IsAdmin: false)
            : null;
    }

    /// <summary>The user a signed-in principal stands for.</summary>
    public static DashboardUser From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new DashboardUser(
            Guid.Parse(Required(principal, ClientIdClaim), CultureInfo.InvariantCulture),
            Required(principal, ClientNameClaim),
            Guid.Parse(Required(principal, KeyIdClaim), CultureInfo.InvariantCulture),
            principal.IsInRole(AdminRole));
    }

    /// <summary>The principal the sign-in cookie carries.</summary>
    public ClaimsPrincipal ToPrincipal(string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClientIdClaim, ClientId.ToString()),
            new(ClientNameClaim, ClientName),
            new(KeyIdClaim, KeyId.ToString()),
            new(ClaimTypes.Name, ClientName),
            new(ClaimTypes.Role, IsAdmin ? AdminRole : ClientRole),
        };
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }

    private static string Required(ClaimsPrincipal principal, string type) =>
        principal.FindFirstValue(type) ?? throw new InvalidOperationException($"The dashboard principal has no {type} claim.");
}
