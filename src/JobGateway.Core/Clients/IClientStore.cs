namespace JobGateway.Core.Clients;

/// <summary>Clients and their keys.</summary>
public interface IClientStore
{
    /// <summary>Whether any client exists (false only on a fresh database).</summary>
    Task<bool> AnyClientAsync(CancellationToken cancellationToken);

    /// <summary>Stores a client together with its first key, in one transaction.</summary>
    Task AddClientAsync(Client client, ApiKey firstKey, CancellationToken cancellationToken);

    /// <summary>All clients by creation.</summary>
    Task<IReadOnlyList<Client>> ListClientsAsync(CancellationToken cancellationToken);

    /// <summary>A client, or null.</summary>
    Task<Client?> GetClientAsync(Guid clientId, CancellationToken cancellationToken);

    /// <summary>Whether a client with that name exists.</summary>
    Task<bool> ClientNameExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Enables or disables a client; null when not found.</summary>
    Task<Client?> SetClientEnabledAsync(Guid clientId, bool enabled, CancellationToken cancellationToken);

    /// <summary>Sets or removes a client's webhook; returns the client and its signing secret, or null when not found.</summary>
    Task<(Client Client, string? Secret)?> SetWebhookAsync(Guid clientId, Uri? url, AccountTasks.TaskNotification notification, CancellationToken cancellationToken);

    /// <summary>Sets a client's own limits; null when not found.</summary>
    Task<Client?> SetLimitsAsync(Guid clientId, ClientLimits limits, CancellationToken cancellationToken);

    /// <summary>Stores a new key of an existing client.</summary>
    Task AddKeyAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>The keys of a client, revoked ones included.</summary>
    Task<IReadOnlyList<ApiKey>> ListKeysAsync(Guid clientId, CancellationToken cancellationToken);

    /// <summary>Revokes a key of a client; null when not found.</summary>
    Task<ApiKey?> RevokeKeyAsync(Guid clientId, Guid keyId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The valid key with this hash and its enabled client, or null.</summary>
    Task<Credential?> FindCredentialAsync(string keyHash, CancellationToken cancellationToken);
}

/// <summary>An authenticated caller: a valid key of an enabled client.</summary>
/// <param name="ClientId">The tenant.</param>
/// <param name="ClientName">The tenant's name.</param>
/// <param name="KeyId">The key used.</param>
/// <param name="Roles">What the key may do.</param>
public sealed record Credential(Guid ClientId, string ClientName, Guid KeyId, ApiKeyRoles Roles)
{
    /// <summary>The client's own limits on creates, as stored when the key was looked up.</summary>
    public ClientLimits Limits { get; init; } = ClientLimits.None;
}
