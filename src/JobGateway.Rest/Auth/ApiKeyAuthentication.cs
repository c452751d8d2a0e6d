using System.Security.Claims;
using System.Text.Encodings.Web;
using JobGateway.Core.Clients;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobGateway.Rest.Auth;

/// <summary>
/// <c>Authorization: Bearer KEY</c> with a gateway API key: ASP.NET's authentication handler for the scheme. Keys
/// are looked up through <see cref="ApiKeyAuthenticator"/>, whose credential cache spares a busy client a database
/// read per request.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyTickets tickets) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        var authenticator = Context.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
        var credential = await authenticator.AuthenticateAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted);
        return credential is null ? AuthenticateResult.Fail("The API key is not valid.") : AuthenticateResult.Success(tickets.For(credential));
    }

    private const string BearerPrefix = "Bearer ";

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Context.WriteErrorAsync(new GatewayError(
            StatusCodes.Status401Unauthorized, "Unauthorized", "A valid API key is required: send 'Authorization: Bearer <api key>'.", "unauthorized"));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Context.WriteErrorAsync(new GatewayError(
            StatusCodes.Status403Forbidden, "Forbidden", "This API key does not have the role this endpoint needs.", "forbidden"));
}

/// <summary>
/// The ticket of each credential, built once: the authenticator hands out the same <see cref="Credential"/> while
/// its key is cached, so a busy client's requests share one principal instead of building claims per request.
/// Nothing changes a ticket once built. A singleton.
/// </summary>
public sealed class ApiKeyTickets
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Credential, AuthenticationTicket> _tickets = [];

    /// <summary>The ticket of the ApiKey scheme for <paramref name="credential"/>.</summary>
    public AuthenticationTicket For(Credential credential) =>
        _tickets.GetValue(credential, static c => new AuthenticationTicket(
            new ClaimsPrincipal(new GatewayIdentity(c, ApiKeyAuthenticationHandler.SchemeName)), ApiKeyAuthenticationHandler.SchemeName));
}

/// <summary>
/// The identity of a caller authenticated by API key: its claims, and the credential they were made from, so
/// that every request does not parse its tenant back out of a claim string.
/// </summary>
internal sealed class GatewayIdentity(Credential credential, string authenticationType)
    : ClaimsIdentity(GatewayClaims.From(credential), authenticationType)
{
    public Credential Credential { get; } = credential;
}

/// <summary>The claims of an authenticated caller and the policies built on them.</summary>
public static class GatewayClaims
{
    public const string ClientId = "jg:client_id";
    public const string ClientName = "jg:client_name";
    public const string KeyId = "jg:key_id";

    public const string AdminPolicy = "admin";
    public const string ClientPolicy = "client";
    public const string WorkerPolicy = "worker";

    internal static IEnumerable<Claim> From(Credential credential)
    {
        yield return new Claim(ClientId, credential.ClientId.ToString());
        yield return new Claim(ClientName, credential.ClientName);
        yield return new Claim(KeyId, credential.KeyId.ToString());
        foreach (var role in Enum.GetValues<ApiKeyRoles>().Where(r => r != ApiKeyRoles.None && credential.Roles.HasFlag(r)))
        {
            yield return new Claim(ClaimTypes.Role, RoleName(role));
        }
    }

    /// <summary>The tenant of the authenticated caller.</summary>
    public static Guid GetClientId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity is GatewayIdentity identity
            ? identity.Credential.ClientId
            : Guid.Parse(user.FindFirstValue(ClientId) ?? throw new InvalidOperationException("The caller is not authenticated."));
    }

    /// <summary>The name of the authenticated caller's tenant.</summary>
    public static string GetClientName(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ClientName) ?? throw new InvalidOperationException("The caller is not authenticated.");
    }

    /// <summary>The wire name of a role.</summary>
    public static string RoleName(ApiKeyRoles role) => role switch
    {
        ApiKeyRoles.Admin => "admin",
        ApiKeyRoles.Client => "client",
        ApiKeyRoles.Worker => "worker",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a single role."),
    };

    /// <summary>Parses a wire role name.</summary>
    public static ApiKeyRoles? ParseRole(string? name) => name?.ToLowerInvariant() switch
    {
        "admin" => ApiKeyRoles.Admin,
        "client" => ApiKeyRoles.Client,
        "worker" => ApiKeyRoles.Worker,
        _ => null,
    };
}
