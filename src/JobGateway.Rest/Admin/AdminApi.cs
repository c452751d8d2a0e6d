using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluentValidation;
using JobGateway.Core.Clients;
using JobGateway.Rest.AccountTasks;
using JobGateway.Rest.Auth;
using JobGateway.Rest.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace JobGateway.Rest.Admin;

/// <summary>Clients (tenants) and their API keys; admin keys only.</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/clients")
            .WithTags("Admin")
            .RequireAuthorization(GatewayClaims.AdminPolicy)
            .WithParameterValidation()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

        // Ids are matched as any text, not with a :guid constraint, so that an id that is not a GUID gets a 404 in
        // problem details instead of routing's empty 404.
        group.MapPost("/", CreateClientAsync).ProducesProblem(StatusCodes.Status400BadRequest).ReadsJsonBody<CreateClientRequest>()
            .WithName("CreateClient")
            .WithSummary("Create a client").WithDescription("Creates a tenant and its first API key. The key is shown in this response only.")
            .ProducesLocation(StatusCodes.Status201Created, "The new client: `/api/admin/clients/{clientId}`.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListClientsAsync).WithName("ListClients").WithSummary("List clients");
        group.MapGet("/{clientId}", GetClientAsync).WithName("GetClient").WithSummary("Get a client").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{clientId}/disable", (string clientId, IClientStore store, CredentialCache cache, CancellationToken ct) => SetEnabledAsync(clientId, false, store, cache, ct))
            .WithName("DisableClient")
            .WithSummary("Disable a client").WithDescription("Its keys are refused everywhere until it is enabled again.").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{clientId}/enable", (string clientId, IClientStore store, CredentialCache cache, CancellationToken ct) => SetEnabledAsync(clientId, true, store, cache, ct))
            .WithName("EnableClient")
            .WithSummary("Enable a client").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{clientId}/keys", ListKeysAsync).WithName("ListClientKeys")
            .WithSummary("List a client's keys").WithDescription("Secrets are never shown again; the prefix identifies a key.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{clientId}/keys", IssueKeyAsync).ProducesProblem(StatusCodes.Status400BadRequest).ReadsJsonBody<IssueKeyRequest>()
            .WithName("IssueClientKey")
            .WithSummary("Issue a key").WithDescription("The secret is shown in this response only.")
            .ProducesLocation(StatusCodes.Status201Created, "The new key: `/api/admin/clients/{clientId}/keys/{keyId}`.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{clientId}/webhook", SetWebhookAsync).ProducesProblem(StatusCodes.Status400BadRequest).ReadsJsonBody<WebhookRequest>()
            .WithName("SetClientWebhook")
            .WithSummary("Set a client's webhook")
            .WithDescription("Status changes of the client's jobs are POSTed to url, signed with HMAC-SHA256 (header X-JobGateway-Signature: t=UNIX,v1=HEX over \"{t}.{body}\"). notification: NONE, ON_SUCCESS, ON_FAILURE or ALWAYS (default; every finished job); an account task's own Notification overrides it for its runs. A null url removes the webhook.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{clientId}/limits", SetLimitsAsync).ProducesProblem(StatusCodes.Status400BadRequest).ReadsJsonBody<LimitsRequest>()
            .WithName("SetClientLimits")
            .WithSummary("Set a client's limits")
            .WithDescription("The client's own limits on creates, in place of the configured defaults (Gateway:Limits): createsPerSecond (sustained), createBurst (at once after a quiet spell) and maxPendingJobs (Pending jobs it may have). A null or missing member goes back to the default. A create over a limit is refused with 429 and Retry-After (SOAP: a Server fault with 503). Applies at once on this instance, within 10 s on others.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{clientId}/keys/{keyId}", RevokeKeyAsync)
            .WithName("RevokeClientKey")
            .WithSummary("Revoke a key").ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Created<CreatedClientResponse>, ErrorResult>> CreateClientAsync(
        CreateClientRequest request, IClientStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = request.Name!.Trim();
        if (await store.ClientNameExistsAsync(name, cancellationToken))
        {
            return new GatewayError(StatusCodes.Status409Conflict, "Conflict", $"A client named '{name}' exists already.", "client_exists").ToResult();
        }

        var now = time.GetUtcNow();
        var client = Client.Create(name, now);
        var (key, secret) = ApiKey.Issue(client.Id, ParseRoles(request.Roles) ?? ApiKeyRoles.Client, "initial", now);
        await store.AddClientAsync(client, key, cancellationToken);
        return TypedResults.Created($"/api/admin/clients/{client.Id}", new CreatedClientResponse(ClientResponse.From(client), IssuedKeyResponse.From(key, secret)));
    }

    private static async Task<Ok<ClientResponse[]>> ListClientsAsync(IClientStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListClientsAsync(cancellationToken)).Select(ClientResponse.From).ToArray());

    private static async Task<Results<Ok<ClientResponse>, ErrorResult>> GetClientAsync(string clientId, IClientStore store, CancellationToken cancellationToken) =>
        Guid.TryParse(clientId, out var id) && await store.GetClientAsync(id, cancellationToken) is { } client
            ? TypedResults.Ok(ClientResponse.From(client))
            : ClientNotFound(clientId);

    private static async Task<Results<Ok<ClientResponse>, ErrorResult>> SetEnabledAsync(
        string clientId, bool enabled, IClientStore store, CredentialCache cache, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(clientId, out var id))
        {
            return ClientNotFound(clientId);
        }

        var client = await store.SetClientEnabledAsync(id, enabled, cancellationToken);
        cache.Invalidate();
        return client is null ? ClientNotFound(clientId) : TypedResults.Ok(ClientResponse.From(client));
    }

    private static async Task<Results<Ok<KeyResponse[]>, ErrorResult>> ListKeysAsync(string clientId, IClientStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(clientId, out var id) || await store.GetClientAsync(id, cancellationToken) is null)
        {
            return ClientNotFound(clientId);
        }

        return TypedResults.Ok((await store.ListKeysAsync(id, cancellationToken)).Select(KeyResponse.From).ToArray());
    }

    private static async Task<Results<Created<IssuedKeyResponse>, ErrorResult>> IssueKeyAsync(
        string clientId, IssueKeyRequest request, IClientStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(clientId, out var id) || await store.GetClientAsync(id, cancellationToken) is null)
        {
            return ClientNotFound(clientId);
        }

        var (key, secret) = ApiKey.Issue(id, ParseRoles(request.Roles) ?? ApiKeyRoles.Client, request.Name, time.GetUtcNow());
        await store.AddKeyAsync(key, cancellationToken);
        return TypedResults.Created($"/api/admin/clients/{id}/keys/{key.Id}", IssuedKeyResponse.From(key, secret));
    }

    private static async Task<Results<NoContent, ErrorResult>> RevokeKeyAsync(
        string clientId, string keyId, IClientStore store, CredentialCache cache, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = Guid.TryParse(clientId, out var client) && Guid.TryParse(keyId, out var id)
            ? await store.RevokeKeyAsync(client, id, time.GetUtcNow(), cancellationToken)
            : null;
        cache.Invalidate();
        return key is null
            ? new GatewayError(StatusCodes.Status404NotFound, "Not Found", $"Client {clientId} has no key {keyId}.", "key_not_found").ToResult()
            : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<WebhookResponse>, ErrorResult>> SetWebhookAsync(
        string clientId, WebhookRequest request, IClientStore store, CancellationToken cancellationToken)
    {
        var url = string.IsNullOrEmpty(request.Url) ? null : new Uri(request.Url);
        var notification = TwoSmsWire.TryParseNotification(request.Notification, out var parsed) ? parsed : Core.AccountTasks.TaskNotification.Always;
        var result = Guid.TryParse(clientId, out var id) ? await store.SetWebhookAsync(id, url, notification, cancellationToken) : null;
        return result is not { } set
            ? ClientNotFound(clientId)
            : TypedResults.Ok(new WebhookResponse(set.Client.WebhookUrl, TwoSmsWire.ToName(set.Client.WebhookNotification), set.Secret));
    }

    private static async Task<Results<Ok<ClientResponse>, ErrorResult>> SetLimitsAsync(
        string clientId, LimitsRequest request, IClientStore store, CredentialCache cache, CancellationToken cancellationToken)
    {
        var limits = new ClientLimits(request.CreatesPerSecond, request.CreateBurst, request.MaxPendingJobs);
        var client = Guid.TryParse(clientId, out var id) ? await store.SetLimitsAsync(id, limits, cancellationToken) : null;

        // A credential carries its client's limits while it is cached: forget them so that the new ones apply at once.
        cache.Invalidate();
        return client is null ? ClientNotFound(clientId) : TypedResults.Ok(ClientResponse.From(client));
    }

    private static ApiKeyRoles? ParseRoles(IReadOnlyList<string>? roles) =>
        roles is null or { Count: 0 } ? null : roles.Aggregate(ApiKeyRoles.None, (all, r) => all | GatewayClaims.ParseRole(r)!.Value);

    private static ErrorResult ClientNotFound(string clientId) =>
        new GatewayError(StatusCodes.Status404NotFound, "Not Found", $"No client with id {clientId} was found.", "client_not_found").ToResult();
}

/// <summary>A new tenant.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CreateClientRequest
{
    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<CreateClientRequest?> BindAsync(HttpContext context) => BufferedBody.ReadJsonAsync<CreateClientRequest>(context);

    /// <summary>Unique display name.</summary>
    /// <example>acme</example>
    [Required]
    public string? Name { get; set; }

    /// <summary>Roles of its first key: any of <c>client</c>, <c>worker</c>, <c>admin</c>; default <c>client</c>.</summary>
    public IReadOnlyList<string>? Roles { get; set; }
}

/// <summary>A new key for a client.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class IssueKeyRequest
{
    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<IssueKeyRequest?> BindAsync(HttpContext context) => BufferedBody.ReadJsonAsync<IssueKeyRequest>(context);

    /// <summary>An optional label.</summary>
    /// <example>billing worker</example>
    public string? Name { get; set; }

    /// <summary>Any of <c>client</c>, <c>worker</c>, <c>admin</c>; default <c>client</c>.</summary>
    public IReadOnlyList<string>? Roles { get; set; }
}

public sealed class CreateClientRequestValidator : AbstractValidator<CreateClientRequest>
{
    public CreateClientRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("'name' is required.").MaximumLength(200).WithMessage("'name' must be at most 200 characters.")
            .Storable("name").OverridePropertyName("name");
        RuleFor(r => r.Roles).Must(roles => roles is null || roles.All(r => GatewayClaims.ParseRole(r) is not null)).WithMessage("'roles' may contain only client, worker and admin.").OverridePropertyName("roles");
    }
}

public sealed class IssueKeyRequestValidator : AbstractValidator<IssueKeyRequest>
{
    public IssueKeyRequestValidator()
    {
        RuleFor(r => r.Name).MaximumLength(200).WithMessage("'name' must be at most 200 characters.").Storable("name").OverridePropertyName("name");
        RuleFor(r => r.Roles).Must(roles => roles is null || roles.All(r => GatewayClaims.ParseRole(r) is not null)).WithMessage("'roles' may contain only client, worker and admin.").OverridePropertyName("roles");
    }
}

/// <summary>Where a client's job status changes are delivered.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class WebhookRequest
{
    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<WebhookRequest?> BindAsync(HttpContext context) => BufferedBody.ReadJsonAsync<WebhookRequest>(context);

    /// <summary>An absolute http(s) URL; null or empty removes the webhook.</summary>
    /// <example>https://example.com/hooks/jobs</example>
    public string? Url { get; set; }

    /// <summary><c>NONE</c>, <c>ON_SUCCESS</c>, <c>ON_FAILURE</c> or <c>ALWAYS</c> (default).</summary>
    /// <example>ALWAYS</example>
    public string? Notification { get; set; }
}

public sealed class WebhookRequestValidator : AbstractValidator<WebhookRequest>
{
    public WebhookRequestValidator()
    {
        RuleFor(r => r.Url)
            .Must(u => string.IsNullOrEmpty(u) || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            .WithMessage("'url' must be an absolute http or https URL.").OverridePropertyName("url");
        RuleFor(r => r.Notification)
            .Must(n => n is null || TwoSmsWire.TryParseNotification(n, out _))
            .WithMessage("'notification' must be NONE, ON_SUCCESS, ON_FAILURE or ALWAYS (or 0 to 3).").OverridePropertyName("notification");
    }
}

/// <summary>A client's own limits on creates; a null or missing member is the configured default (<c>Gateway:Limits</c>).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class LimitsRequest
{
    /// <summary>Reads the JSON body (see <see cref="BufferedBody.ReadJsonAsync{T}"/>).</summary>
    public static ValueTask<LimitsRequest?> BindAsync(HttpContext context) => BufferedBody.ReadJsonAsync<LimitsRequest>(context);

    /// <summary>Creates per second the client may sustain (1 or more); null: the default.</summary>
    /// <example>100</example>
    public int? CreatesPerSecond { get; set; }

    /// <summary>Creates the client may make at once after a quiet spell (1 or more); null: the default.</summary>
    /// <example>500</example>
    public int? CreateBurst { get; set; }

    /// <summary>Pending jobs the client may have (1 or more); null: the default.</summary>
    /// <example>10000</example>
    public int? MaxPendingJobs { get; set; }
}

public sealed class LimitsRequestValidator : AbstractValidator<LimitsRequest>
{
    public LimitsRequestValidator()
    {
        RuleFor(r => r.CreatesPerSecond).GreaterThan(0).WithMessage("'createsPerSecond' must be 1 or more (or null for the default).").OverridePropertyName("createsPerSecond");
        RuleFor(r => r.CreateBurst).GreaterThan(0).WithMessage("'createBurst' must be 1 or more (or null for the default).").OverridePropertyName("createBurst");
        RuleFor(r => r.MaxPendingJobs).GreaterThan(0).WithMessage("'maxPendingJobs' must be 1 or more (or null for the default).").OverridePropertyName("maxPendingJobs");
    }
}

/// <summary>A client's own limits on creates; null members are the configured defaults.</summary>
/// <param name="CreatesPerSecond">Creates per second, sustained.</param>
/// <param name="CreateBurst">Creates at once after a quiet spell.</param>
/// <param name="MaxPendingJobs">Pending jobs the client may have.</param>
public sealed record LimitsResponse(int? CreatesPerSecond, int? CreateBurst, int? MaxPendingJobs);

/// <summary>A client's webhook.</summary>
/// <param name="Url">Receiver, or null.</param>
/// <param name="Notification">Which finished jobs are notified.</param>
/// <param name="Secret">The HMAC-SHA256 signing secret.</param>
public sealed record WebhookResponse(string? Url, string Notification, string? Secret);

/// <summary>A tenant.</summary>
/// <param name="Id">Identifier.</param>
/// <param name="Name">Name.</param>
/// <param name="Enabled">Whether its keys are accepted.</param>
/// <param name="CreatedAt">Created (UTC).</param>
/// <param name="Limits">Its own limits on creates (null members: the configured defaults).</param>
public sealed record ClientResponse(Guid Id, string Name, bool Enabled, DateTimeOffset CreatedAt, LimitsResponse Limits)
{
    internal static ClientResponse From(Client c) =>
        new(c.Id, c.Name, c.Enabled, c.CreatedAt, new LimitsResponse(c.CreatesPerSecond, c.CreateBurst, c.MaxPendingJobs));
}

/// <summary>A key, without its secret.</summary>
/// <param name="Id">Identifier.</param>
/// <param name="Name">Label.</param>
/// <param name="Prefix">First characters of the secret.</param>
/// <param name="Roles">Roles.</param>
/// <param name="CreatedAt">Issued (UTC).</param>
/// <param name="RevokedAt">Revoked (UTC), or null.</param>
public sealed record KeyResponse(Guid Id, string? Name, string Prefix, string[] Roles, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    internal static KeyResponse From(ApiKey k) => new(k.Id, k.Name, k.Prefix, RoleNames(k.Roles), k.CreatedAt, k.RevokedAt);

    internal static string[] RoleNames(ApiKeyRoles roles) =>
        Enum.GetValues<ApiKeyRoles>().Where(r => r != ApiKeyRoles.None && roles.HasFlag(r)).Select(GatewayClaims.RoleName).ToArray();
}

/// <summary>A key just issued. <c>key</c> is the secret: store it now, it is never shown again.</summary>
/// <param name="Id">Identifier.</param>
/// <param name="Key">The secret, for <c>Authorization: Bearer</c>.</param>
/// <param name="Roles">Roles.</param>
public sealed record IssuedKeyResponse(Guid Id, string Key, string[] Roles)
{
    internal static IssuedKeyResponse From(ApiKey k, string secret) => new(k.Id, secret, KeyResponse.RoleNames(k.Roles));
}

/// <summary>A new client and its first key.</summary>
/// <param name="Client">The client.</param>
/// <param name="ApiKey">Its first key, shown only here.</param>
public sealed record CreatedClientResponse(ClientResponse Client, IssuedKeyResponse ApiKey);
